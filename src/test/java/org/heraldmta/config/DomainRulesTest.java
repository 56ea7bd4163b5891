package org.heraldmta.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.heraldmta.mail.Domain;
import org.junit.jupiter.api.Test;

/** Exact, wildcard and MX rules, their precedence key by key, the explanation, and every key's checks. */
class DomainRulesTest {

    private final ConfigLoader loader = new ConfigLoader("host.example.test", Path.of("/srv/herald"));

    private DomainRules rules(String toml) throws ConfigException {
        return loader.parse(Path.of("/srv/herald/herald.toml"), "herald.toml", toml).domains();
    }

    private static Map<String, DomainRules.Line> byKey(DomainRules.Explanation explanation) {
        return explanation.lines().stream().collect(Collectors.toMap(l -> l.key().key(), Function.identity()));
    }

    private static final String FILE = """
            [domains.default]
            max_connections = 4
            delay_after_failure = ["1m", "5m", "30m", "2h"]

            [domains."*.example.test"]
            port = 2526
            max_continuous = 10

            [domains."*.eu.example.test"]
            port = 2527

            [domains."shop.eu.example.test"]
            helo_name = "out.example.org"

            [mx."*.outlook.test"]
            max_connections = 10
            port = 2600
            helo_name = "outlook-sender.example.org"
            max_message_rate = "100/m"
            throttle_replies = ["421", "4.7.0", "rate limit"]
            throttle_pause = "15m"
            """;

    @Test
    void everyKeyFallsBackAlongExactThenWildcardThenMxRuleThenDefaultThenBuiltIn() throws ConfigException {
        DomainRules rules = rules(FILE);

        Map<String, DomainRules.Line> lines = byKey(rules.explain(Domain.of("shop.eu.example.test"),
                List.of("mx1.outlook.test")));

        assertThat(lines.get("helo_name")).isEqualTo(new DomainRules.Line(DomainKey.HELO_NAME,
                "\"out.example.org\"", "domains.\"shop.eu.example.test\""));
        assertThat(lines.get("port").source()).as("the most specific wildcard").isEqualTo(
                "domains.\"*.eu.example.test\"");
        assertThat(lines.get("port").value()).isEqualTo("2527");
        assertThat(lines.get("max_connections")).isEqualTo(new DomainRules.Line(DomainKey.MAX_CONNECTIONS, "10",
                "mx.\"*.outlook.test\""));
        assertThat(lines.get("delay_after_failure")).isEqualTo(new DomainRules.Line(DomainKey.DELAY_AFTER_FAILURE,
                "[\"1m\", \"5m\", \"30m\", \"2h\"]", "domains.default"));
        assertThat(lines.get("max_age")).isEqualTo(new DomainRules.Line(DomainKey.MAX_AGE, "\"5d\"", "built-in"));
        assertThat(lines.get("source_address").value()).isEqualTo("(the system's choice)");
        assertThat(lines.get("max_connection_rate").value()).isEqualTo("(no limit)");
        assertThat(lines).hasSize(DomainKey.values().length);
    }

    @Test
    void theDestinationKeysOfADomainInAnMxRuleComeFromTheRuleItsDomainsShare() throws ConfigException {
        DomainRules rules = rules(FILE);

        DomainRules.Explanation shop = rules.explain(Domain.of("a.example.test"), List.of("mx2.outlook.test"));

        assertThat(shop.mxRule()).contains("*.outlook.test");
        assertThat(byKey(shop).get("max_continuous").source()).as("a wildcard's destination key does not split "
                + "the shared budget").isEqualTo("built-in");
        assertThat(byKey(shop).get("port").source()).isEqualTo("domains.\"*.example.test\"");
        assertThat(rules.forMxRule("*.outlook.test").maxConnections()).isEqualTo(10);
        assertThat(rules.forDomain(Domain.of("a.example.test"), Optional.of("*.outlook.test")))
                .isEqualTo(shop.settings());
    }

    @Test
    void aWildcardMatchesSubdomainsOnlyAndMxRulesMatchHostNames() throws ConfigException {
        DomainRules rules = rules(FILE);

        assertThat(rules.forDomain(Domain.of("example.test")).port()).isEqualTo(25);
        assertThat(rules.forDomain(Domain.of("a.b.example.test")).port()).isEqualTo(2526);
        assertThat(rules.mxRuleFor(List.of("mx.other.test", "MX1.Outlook.Test."))).contains("*.outlook.test");
        assertThat(rules.mxRuleFor(List.of("outlook.test"))).isEmpty();
        assertThat(rules.explain(Domain.of("plain.test"), List.of()).mxRule()).isEmpty();
    }

    @Test
    void anExactMxHostNameIsMoreSpecificThanAWildcard() throws ConfigException {
        DomainRules rules = rules("""
                [mx."*.outlook.test"]
                max_connections = 10
                [mx."mx9.outlook.test"]
                max_connections = 1
                """);

        assertThat(rules.mxRuleFor(List.of("mx1.outlook.test", "mx9.outlook.test"))).contains("mx9.outlook.test");
    }

    @Test
    void everyNewKeyIsReadWithItsType() throws ConfigException {
        DomainSettings s = rules("""
                [domains."example.test"]
                max_messages_per_connection = 20
                max_message_rate = "5/s"
                max_connection_rate = "1000/h"
                helo_name = "out.example.org"
                source_address = "127.0.0.9"
                tls = "required"
                throttle_replies = ["421", "rate limit"]
                throttle_pause = "10m"
                """).forDomain(Domain.of("example.test"));

        assertThat(s.maxMessagesPerConnection()).isEqualTo(20);
        assertThat(s.maxMessageRate()).contains(new Rate(5, Duration.ofSeconds(1)));
        assertThat(s.maxConnectionRate()).contains(new Rate(1000, Duration.ofHours(1)));
        assertThat(s.heloName()).contains("out.example.org");
        assertThat(s.sourceAddress()).contains("127.0.0.9");
        assertThat(s.tls()).isEqualTo(DirectTls.REQUIRED);
        assertThat(s.throttleReplies()).containsExactly("421", "rate limit");
        assertThat(s.throttlePause()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void badValuesAreRefusedNamingFileKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> rules("[domains.\"a.test\"]\ntls = \"sometimes\""))
                .hasMessageContaining("herald.toml: domains.\"a.test\".tls: must be one of \"opportunistic\", "
                        + "\"required\", \"off\"");
        assertThatThrownBy(() -> rules("[domains.default]\nmax_message_rate = \"100 per minute\""))
                .hasMessageContaining("herald.toml: domains.default.max_message_rate: must be a rate such as "
                        + "\"100/m\"");
        assertThatThrownBy(() -> rules("[mx.\"*.outlook.test\"]\nmax_connection_rate = \"0/s\""))
                .hasMessageContaining("mx.\"*.outlook.test\".max_connection_rate: must be a rate");
        assertThatThrownBy(() -> rules("[domains.default]\nsource_address = \"mail.example.org\""))
                .hasMessageContaining("domains.default.source_address: must be an IP address of this machine");
        assertThatThrownBy(() -> rules("[domains.default]\nhelo_name = \"localhost\""))
                .hasMessageContaining("domains.default.helo_name: must be a fully qualified host name");
        assertThatThrownBy(() -> rules("[domains.default]\nthrottle_pause = \"0s\""))
                .hasMessageContaining("domains.default.throttle_pause: must be longer than 0s");
        assertThatThrownBy(() -> rules("[domains.default]\nthrottle_replies = \"421\""))
                .hasMessageContaining("domains.default.throttle_replies: must be a list of strings such as "
                        + "[\"421\", \"4.7.0\", \"rate limit\"]");
        assertThatThrownBy(() -> rules("[domains.default]\nthrottle_replies = [\" \"]"))
                .hasMessageContaining("would match every reply");
        assertThatThrownBy(() -> rules("[domains.default]\nmax_messages_per_connection = 0"))
                .hasMessageContaining("domains.default.max_messages_per_connection: must be from 1");
        assertThatThrownBy(() -> rules("[domains.\"*.*.example.test\"]\nport = 26"))
                .hasMessageContaining("domains.\"*.*.example.test\": is not a domain name");
        assertThatThrownBy(() -> rules("[mx.\"mx_1!\"]\nport = 26"))
                .hasMessageContaining("mx.\"mx_1!\": is not an MX host name");
        assertThatThrownBy(() -> rules("[mx.\"*.outlook.test\"]\nmax_conections = 2"))
                .hasMessageContaining("mx.\"*.outlook.test\".max_conections: unknown key; allowed here: "
                        + "direct_attempts, relay_attempts, max_connections");
    }

    @Test
    void ratesAreWrittenAsCountPerUnitAndSpacedEvenly() {
        assertThat(Rate.parse("100/m").intervalNanos()).isEqualTo(600_000_000L);
        assertThat(Rate.parse("5/s").intervalNanos()).isEqualTo(200_000_000L);
        assertThat(Rate.parse(" 1000 / h ").toString()).isEqualTo("1000/h");
        assertThatThrownBy(() -> Rate.parse("5/w")).isInstanceOf(IllegalArgumentException.class);
    }
}
