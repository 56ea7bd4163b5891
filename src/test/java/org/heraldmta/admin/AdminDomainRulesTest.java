package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.heraldmta.mail.Domain;
import org.heraldmta.qmgr.MxHostNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wildcard and MX domain rules through the admin API: settings with their sources, destinations, rule edits. */
class AdminDomainRulesTest {

    private static final Map<String, List<String>> MX = Map.of(
            "contoso.test", List.of("contoso-test.mail.protection.outlook.test"),
            "fabrikam.test", List.of("fabrikam-test.mail.protection.outlook.test"),
            "plain.test", List.of("mx.plain.test"),
            "a.wild.test", List.of("mx.wild.test"));

    /** Known domains answer from {@link #MX}, broken.test fails, slow.test never answers. */
    static final MxHostNames FAKE_MX = domain -> switch (domain.name()) {
        case "broken.test" -> CompletableFuture.failedFuture(new IllegalStateException("SERVFAIL from 127.0.0.53"));
        case "slow.test" -> new CompletableFuture<>();
        default -> CompletableFuture.completedFuture(MX.getOrDefault(domain.name(), List.of()));
    };

    @TempDir
    Path dir;

    private AdminHarness herald;

    @BeforeEach
    void start() throws Exception {
        herald = AdminHarness.start(dir, """
                [domains.default]
                max_connections = 4

                [domains."*.wild.test"]
                max_connections = 3
                port = 2526

                [domains."exact.wild.test"]
                port = 2527

                [mx."*.outlook.test"]
                max_connections = 7
                """, FAKE_MX);
    }

    @AfterEach
    void stop() {
        herald.close();
    }

    private JsonNode settings(String domain) throws Exception {
        return AdminHarness.ok(herald.get("/api/v1/domains/" + domain + "/settings"));
    }

    @Test
    void aDomainWhoseMxHostsMatchAnMxRuleTakesItsLimitsFromThatRule() throws Exception {
        JsonNode contoso = settings("contoso.test");

        assertThat(contoso.path("mx_hosts").get(0).asText()).isEqualTo("contoso-test.mail.protection.outlook.test");
        assertThat(contoso.path("mx_lookup").asText()).isEqualTo("ok");
        assertThat(contoso.path("mx_rule").asText()).isEqualTo("*.outlook.test");
        assertThat(contoso.path("settings").path("max_connections").path("value").asInt()).isEqualTo(7);
        assertThat(contoso.path("settings").path("max_connections").path("source").asText())
                .isEqualTo("mx.\"*.outlook.test\"");
        assertThat(contoso.path("settings").path("port").path("source").asText()).isEqualTo("built-in");
        assertThat(contoso.path("settings").path("max_message_rate").path("value").isNull()).isTrue();
    }

    @Test
    void anExactDomainRuleComesBeforeTheWildcardWhichComesBeforeTheDefaults() throws Exception {
        JsonNode wild = settings("a.wild.test").path("settings");
        JsonNode exact = settings("exact.wild.test").path("settings");
        JsonNode plain = settings("plain.test");

        assertThat(wild.path("max_connections").path("value").asInt()).isEqualTo(3);
        assertThat(wild.path("max_connections").path("source").asText()).isEqualTo("domains.\"*.wild.test\"");
        assertThat(exact.path("port").path("value").asInt()).isEqualTo(2527);
        assertThat(exact.path("port").path("source").asText()).isEqualTo("domains.\"exact.wild.test\"");
        assertThat(exact.path("max_connections").path("source").asText()).isEqualTo("domains.\"*.wild.test\"");
        assertThat(plain.path("mx_rule").isNull()).isTrue();
        assertThat(plain.path("settings").path("max_connections").path("source").asText())
                .isEqualTo("domains.default");
        assertThat(plain.path("settings").path("delay_after_failure").path("value").isArray()).isTrue();
    }

    @Test
    void aFailedMxLookupIsSaidAndTheSettingsLeaveMxRulesAside() throws Exception {
        JsonNode broken = settings("broken.test");

        assertThat(broken.path("mx_lookup").asText()).isEqualTo("failed: SERVFAIL from 127.0.0.53");
        assertThat(broken.path("mx_hosts").isEmpty()).isTrue();
        assertThat(broken.path("settings").path("max_connections").path("value").asInt()).isEqualTo(4);
        assertThat(broken.path("settings").path("max_connections").path("source").asText())
                .isEqualTo("domains.default");
    }

    @Test
    void anMxLookupWithoutAnswerEndsAtTheTimeLimit() throws Exception {
        SettingsExplanation explanation = new SettingsExplanation(herald.queue, Duration.ofMillis(50));

        Map<String, Object> slow = explanation.explain(Domain.of("slow.test"), herald.config.current().domains());

        assertThat(slow.get("mx_lookup")).isEqualTo("failed: no answer within 50ms");
        assertThat(slow.get("mx_hosts")).isEqualTo(List.of());
    }

    @Test
    void domainsSharingAnMxRuleShowItAsTheirDestinationAndItsLimit() throws Exception {
        herald.accept("alice@sender.test", "bob@contoso.test");
        herald.accept("alice@sender.test", "carl@fabrikam.test");
        herald.accept("alice@sender.test", "dora@plain.test");
        herald.queue.awaitIdle(Duration.ofSeconds(10)); // the MX answers are in

        JsonNode domains = AdminHarness.ok(herald.get("/api/v1/domains")).path("domains");

        List<String> lines = new ArrayList<>();
        domains.forEach(d -> lines.add(d.path("domain").asText() + " " + d.path("destination").asText() + " "
                + d.path("max_connections").asInt()));
        assertThat(lines).containsExactly("contoso.test *.outlook.test 7", "fabrikam.test *.outlook.test 7",
                "plain.test plain.test 4");
    }

    @Test
    void anMxRulePutThroughTheApiIsWrittenAndExplained() throws Exception {
        HttpResponse<String> saved = herald.put("/api/v1/rules", """
                {"default": {"max_connections": 4},
                 "domains": {},
                 "mx": {"*.outlook.test": {"max_connections": 9, "max_message_rate": "100/m"}}}""");

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(Files.readString(herald.configFile))
                .contains("[mx.\"*.outlook.test\"]\nmax_connections = 9\nmax_message_rate = '100/m'\n")
                .doesNotContain("*.wild.test");
        JsonNode rules = AdminHarness.ok(herald.get("/api/v1/rules"));
        assertThat(rules.path("mx").path("*.outlook.test").path("max_connections").asInt()).isEqualTo(9);
        JsonNode contoso = settings("contoso.test").path("settings");
        assertThat(contoso.path("max_connections").path("value").asInt()).isEqualTo(9);
        assertThat(contoso.path("max_message_rate").path("value").asText()).isEqualTo("100/m");
        assertThat(contoso.path("max_message_rate").path("source").asText()).isEqualTo("mx.\"*.outlook.test\"");
        assertThat(herald.config.current().domains().explain(Domain.of("fabrikam.test"),
                MX.get("fabrikam.test")).mxRule()).contains("*.outlook.test");
    }
}
