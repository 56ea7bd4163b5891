package org.heraldmta.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.heraldmta.mail.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader("host.example.test", Path.of("/srv/herald"));

    private HeraldConfig parse(String toml) throws ConfigException {
        return loader.parse(dir.resolve("herald.toml"), "herald.toml", toml);
    }

    @Test
    void noFileMeansTheEmbeddedDefaults() {
        HeraldConfig config = loader.defaults();
        assertThat(config.hostname()).isEqualTo("host.example.test");
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/herald/var"));
        assertThat(config.smtp().listen()).containsExactly(new ListenAddress("127.0.0.1", 2525));
        assertThat(config.smtp().maxMessageSize()).isEqualTo(25L * 1024 * 1024);
        assertThat(config.admin().listen()).isEqualTo(new ListenAddress("127.0.0.1", 8025));
        assertThat(config.relays()).isEmpty();
        assertThat(config.domains().defaults()).isEqualTo(DomainSettings.DEFAULTS);
    }

    @Test
    void theDocumentedExampleLoadsWithEveryValue() throws ConfigException {
        HeraldConfig config = parse("""
                hostname = "mail.example.org"
                data_dir = "data"

                [smtp]
                listen = ["127.0.0.1:2525", "[::1]:2526"]
                max_message_size = "10MB"
                max_recipients = 50

                [access]
                allow = ["127.0.0.0/8", "::1/128"]

                [admin]
                listen = "127.0.0.1:8026"

                [dns]
                servers = ["127.0.0.53:5353"]
                timeout = "2s"

                [[relay]]
                host = "smtp.provider.example"
                port = 587
                tls = "starttls"
                username = "user"
                password = "secret"

                [domains.default]
                direct_attempts = 2
                relay_attempts = 1
                max_connections = 4
                delay_after_failure = ["1m", "5m", "30m"]
                max_continuous = 7
                delay_for_continuing = "3s"

                [domains."Example.COM"]
                max_connections = 2
                """);
        assertThat(config.hostname()).isEqualTo("mail.example.org");
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.smtp().listen()).containsExactly(new ListenAddress("127.0.0.1", 2525),
                new ListenAddress("::1", 2526));
        assertThat(config.smtp().maxMessageSize()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.smtp().maxRecipients()).isEqualTo(50);
        assertThat(config.dns().servers()).containsExactly(new ListenAddress("127.0.0.53", 5353));
        assertThat(config.dns().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.relays()).singleElement().satisfies(r -> {
            assertThat(r.host()).isEqualTo("smtp.provider.example");
            assertThat(r.tls()).isEqualTo(RelayTls.STARTTLS);
            assertThat(r.username()).contains("user");
        });
        DomainSettings example = config.domains().forDomain(Domain.of("example.com"));
        assertThat(example.maxConnections()).isEqualTo(2);
        assertThat(example.maxContinuous()).isEqualTo(7);
        assertThat(example.delayAfterFailure()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(30));
        assertThat(example.delayAfter(5)).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.domains().forDomain(Domain.of("other.test")).maxConnections()).isEqualTo(4);
    }

    @Test
    void anUnknownKeyIsRefusedWithFileKeyAndTheAllowedKeys() {
        assertThatThrownBy(() -> parse("[smtp]\nlisten_on = [\"127.0.0.1:25\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("herald.toml")
                .hasMessageContaining("smtp.listen_on")
                .hasMessageContaining("allowed here: listen");
    }

    @Test
    void aWrongTypeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("[domains.default]\nmax_connections = \"five\"\n"))
                .hasMessageContaining("herald.toml: domains.default.max_connections: must be a whole number");
    }

    @Test
    void badDurationsSizesAndAddressesAreRefused() {
        assertThatThrownBy(() -> parse("[domains.default]\ndelay_after_failure = \"soon\"\n"))
                .hasMessageContaining("domains.default.delay_after_failure").hasMessageContaining("\"90s\"");
        assertThatThrownBy(() -> parse("[smtp]\nmax_message_size = \"big\"\n"))
                .hasMessageContaining("smtp.max_message_size").hasMessageContaining("\"25MB\"");
        assertThatThrownBy(() -> parse("[smtp]\nlisten = [\"mail.example.org:25\"]\n"))
                .hasMessageContaining("smtp.listen").hasMessageContaining("not a name");
        assertThatThrownBy(() -> parse("[access]\nallow = [\"10.0.0.0/99\"]\n"))
                .hasMessageContaining("access.allow");
    }

    @Test
    void bothAttemptCountsZeroIsAConfigurationError() {
        assertThatThrownBy(() -> parse("""
                [[relay]]
                host = "127.0.0.1"
                [domains."example.test"]
                direct_attempts = 0
                relay_attempts = 0
                """)).hasMessageContaining("domains.\"example.test\".direct_attempts")
                .hasMessageContaining("cannot both be 0");
    }

    @Test
    void relayOnlyWithoutRelayServersIsRefused() {
        assertThatThrownBy(() -> parse("[domains.default]\ndirect_attempts = 0\n"))
                .hasMessageContaining("no [[relay]] server");
    }

    @Test
    void invalidTomlNamesTheLine() {
        assertThatThrownBy(() -> parse("hostname = \"a.example\"\n[smtp\n"))
                .hasMessageContaining("herald.toml at line 2");
    }

    @Test
    void plainSecondsAreADuration() throws ConfigException {
        HeraldConfig config = parse("[domains.default]\ndelay_after_failure = 90\n");
        assertThat(config.domains().defaults().delayAfterFailure()).containsExactly(Duration.ofSeconds(90));
    }

    @Test
    void aMissingFileIsReportedByName() {
        assertThatThrownBy(() -> loader.load(dir.resolve("missing.toml"))).hasMessageContaining("no such file");
    }

    @Test
    void relativeDataDirIsRelativeToTheConfigFile() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(sub.resolve("herald.toml"), "data_dir = \"../spool-here\"\n");
        assertThat(loader.load(file).dataDir()).isEqualTo(dir.resolve("spool-here"));
    }

    @Test
    void relayDefaultsFollowTheTlsMode() throws ConfigException {
        List<RelayServer> relays = parse("""
                [[relay]]
                host = "127.0.0.9"
                tls = "implicit"
                [[relay]]
                host = "127.0.0.10"
                tls = "none"
                port = 2525
                """).relays();
        assertThat(relays).extracting(RelayServer::port).containsExactly(465, 2525);
        assertThat(relays).extracting(RelayServer::tls).containsExactly(RelayTls.IMPLICIT, RelayTls.NONE);
    }

    @Test
    void securityKeysHaveSafeDefaults() {
        HeraldConfig config = loader.defaults();
        assertThat(config.smtp().listenTls()).isEmpty();
        assertThat(config.smtp().authWithoutTlsOnLoopback()).isFalse();
        assertThat(config.access().rules()).containsExactly(AccessRule.allow(Cidr.parse("127.0.0.0/8")),
                AccessRule.allow(Cidr.parse("::1/128")));
        assertThat(config.access().limits()).isEqualTo(ClientLimits.DEFAULTS);
        assertThat(config.tls().selfSigned()).isTrue();
        assertThat(config.tlsDir()).isEqualTo(Path.of("/srv/herald/var/tls"));
        assertThat(config.auth().usersFile()).isEqualTo(Path.of("/srv/herald/var/users"));
    }

    @Test
    void accessRulesAreKeptInOrderAndTheFirstMatchDecides() throws ConfigException {
        AccessSettings access = parse("""
                [access]
                rules = [{allow = "127.0.0.1"}, {deny = "127.0.0.0/8"}, {allow = "10.0.0.0/8"}, {deny = "::/0"}]
                """).access();
        assertThat(access.rules()).extracting(AccessRule::toString)
                .containsExactly("allow 127.0.0.1/32", "deny 127.0.0.0/8", "allow 10.0.0.0/8", "deny 0:0:0:0:0:0:0:0/0");
        assertThat(access.mayRelay(IpLiterals.parse("127.0.0.1"))).isTrue();
        assertThat(access.mayRelay(IpLiterals.parse("127.0.0.2"))).isFalse();
        assertThat(access.ruleFor(IpLiterals.parse("127.0.0.2"))).contains(AccessRule.deny(Cidr.parse("127.0.0.0/8")));
        assertThat(access.mayRelay(IpLiterals.parse("10.1.2.3"))).isTrue();
        assertThat(access.mayRelay(IpLiterals.parse("192.0.2.1"))).as("no rule matches: denied").isFalse();
        assertThat(access.ruleFor(IpLiterals.parse("192.0.2.1"))).isEmpty();
    }

    @Test
    void accessRulesMayBeWrittenAsAnArrayOfTables() throws ConfigException {
        AccessSettings access = parse("""
                [[access.rules]]
                deny = "192.0.2.0/24"
                [[access.rules]]
                allow = "0.0.0.0/0"
                """).access();
        assertThat(access.rules()).containsExactly(AccessRule.deny(Cidr.parse("192.0.2.0/24")),
                AccessRule.allow(Cidr.parse("0.0.0.0/0")));
        assertThat(access.mayRelay(IpLiterals.parse("192.0.2.7"))).isFalse();
        assertThat(access.mayRelay(IpLiterals.parse("198.51.100.7"))).isTrue();
    }

    @Test
    void theOlderAllowListMeansThoseBlocksThenDenyEverythingElse() throws ConfigException {
        AccessSettings access = parse("[access]\nallow = [\"10.0.0.0/8\", \"::1\"]\n").access();
        assertThat(access.allow()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128"));
        assertThat(access.rules()).allMatch(rule -> rule.action() == AccessRule.Action.ALLOW);
        assertThat(access.mayRelay(IpLiterals.parse("10.9.9.9"))).isTrue();
        assertThat(access.mayRelay(IpLiterals.parse("127.0.0.1"))).isFalse();
        assertThat(access.limits()).isEqualTo(ClientLimits.DEFAULTS);
    }

    @Test
    void anEmptyRuleListLetsNobodyRelayWithoutAuthentication() throws ConfigException {
        AccessSettings access = parse("[access]\nrules = []\n").access();
        assertThat(access.mayRelay(IpLiterals.parse("127.0.0.1"))).isFalse();
    }

    @Test
    void badAccessRulesAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> parse("[access]\nallow = [\"127.0.0.1\"]\nrules = [{allow = \"10.0.0.0/8\"}]\n"))
                .hasMessageContaining("herald.toml: access.rules: cannot be used together with allow");
        assertThatThrownBy(() -> parse("[access]\nrules = [{allow = \"10.0.0.0/8\", deny = \"10.1.0.0/16\"}]\n"))
                .hasMessageContaining("herald.toml: access.rules[0]: each rule has exactly one key, allow or deny");
        assertThatThrownBy(() -> parse("[access]\nrules = [{allow = \"10.0.0.0/8\"}, {}]\n"))
                .hasMessageContaining("access.rules[1]: each rule has exactly one key");
        assertThatThrownBy(() -> parse("[access]\nrules = [{permit = \"10.0.0.0/8\"}]\n"))
                .hasMessageContaining("access.rules[0].permit: unknown key; allowed here: allow, deny");
        assertThatThrownBy(() -> parse("[access]\nrules = [{deny = \"10.0.0.0/33\"}]\n"))
                .hasMessageContaining("access.rules[0].deny: must be an address block").hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> parse("[access]\nrules = [{deny = \"mail.example.org\"}]\n"))
                .hasMessageContaining("access.rules[0].deny: must be an address block");
        assertThatThrownBy(() -> parse("[access]\nrules = [\"allow 10.0.0.0/8\"]\n"))
                .hasMessageContaining("access.rules: must be a list of rules such as [{allow = ");
        assertThatThrownBy(() -> parse("[access]\nrules = \"10.0.0.0/8\"\n"))
                .hasMessageContaining("access.rules: must be a list of rules");
        assertThatThrownBy(() -> parse("[access]\nallowed = [\"10.0.0.0/8\"]\n"))
                .hasMessageContaining("access.allowed: unknown key; allowed here: rules, allow, max_connections");
    }

    @Test
    void clientLimitsAreRead() throws ConfigException {
        ClientLimits limits = parse("""
                [access]
                max_connections = 200
                max_connections_per_ip = 10
                max_commands_per_session = 500
                max_auth_failures = 3
                auth_failure_window = "1h"
                auth_failure_delay = "2s"
                """).access().limits();
        assertThat(limits).isEqualTo(new ClientLimits(200, 10, 500, 3, Duration.ofHours(1), Duration.ofSeconds(2)));
    }

    @Test
    void badClientLimitsAreRefused() {
        assertThatThrownBy(() -> parse("[access]\nmax_connections = 0\n"))
                .hasMessageContaining("herald.toml: access.max_connections: must be from 1 to");
        assertThatThrownBy(() -> parse("[access]\nmax_connections_per_ip = \"ten\"\n"))
                .hasMessageContaining("access.max_connections_per_ip: must be a whole number");
        assertThatThrownBy(() -> parse("[access]\nmax_commands_per_session = -1\n"))
                .hasMessageContaining("access.max_commands_per_session: must be from 1");
        assertThatThrownBy(() -> parse("[access]\nmax_auth_failures = 0\n"))
                .hasMessageContaining("access.max_auth_failures: must be from 1");
        assertThatThrownBy(() -> parse("[access]\nauth_failure_window = \"0s\"\n"))
                .hasMessageContaining("access.auth_failure_window: must be longer than 0s");
        assertThatThrownBy(() -> parse("[access]\nauth_failure_delay = \"1h\"\n"))
                .hasMessageContaining("access.auth_failure_delay: must be at most 5m");
        assertThatThrownBy(() -> parse("[access]\nauth_failure_delay = \"later\"\n"))
                .hasMessageContaining("access.auth_failure_delay: must be");
    }

    @Test
    void implicitTlsListenersAndLoopbackAuthAreRead() throws ConfigException {
        SmtpSettings smtp = parse("""
                [smtp]
                listen_tls = ["127.0.0.1:4650", "[::1]:4651"]
                auth_without_tls_on_loopback = true
                """).smtp();
        assertThat(smtp.listenTls()).containsExactly(new ListenAddress("127.0.0.1", 4650), new ListenAddress("::1", 4651));
        assertThat(smtp.authWithoutTlsOnLoopback()).isTrue();
        assertThat(smtp.listen()).isEqualTo(SmtpSettings.DEFAULTS.listen());
    }

    @Test
    void badSmtpSecurityValuesAreRefused() {
        assertThatThrownBy(() -> parse("[smtp]\nauth_without_tls_on_loopback = \"yes\"\n"))
                .hasMessageContaining("herald.toml: smtp.auth_without_tls_on_loopback: must be true or false");
        assertThatThrownBy(() -> parse("[smtp]\nlisten_tls = [\"127.0.0.1\"]\n"))
                .hasMessageContaining("smtp.listen_tls").hasMessageContaining("missing port");
        assertThatThrownBy(() -> parse("[smtp]\nlisten_tls = \"127.0.0.1:465\"\n"))
                .hasMessageContaining("smtp.listen_tls: must be a list of strings");
    }

    @Test
    void certificateAndKeyAreResolvedNextToTheConfigFileAndMustExist() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "x");
        Files.writeString(dir.resolve("key.pem"), "x");
        TlsSettings tls = parse("[tls]\ncertificate = \"cert.pem\"\nkey = \"key.pem\"\n").tls();
        assertThat(tls.certificate()).contains(dir.resolve("cert.pem"));
        assertThat(tls.key()).contains(dir.resolve("key.pem"));
        assertThat(tls.selfSigned()).isFalse();

        assertThatThrownBy(() -> parse("[tls]\ncertificate = \"cert.pem\"\n"))
                .hasMessageContaining("herald.toml: tls.key: is required when certificate is given");
        assertThatThrownBy(() -> parse("[tls]\nkey = \"key.pem\"\n"))
                .hasMessageContaining("tls.certificate: is required when key is given");
        assertThatThrownBy(() -> parse("[tls]\ncertificate = \"missing.pem\"\nkey = \"key.pem\"\n"))
                .hasMessageContaining("tls.certificate: no such file");
        assertThatThrownBy(() -> parse("[tls]\ncertificate = 5\nkey = \"key.pem\"\n"))
                .hasMessageContaining("tls.certificate: must be a string");
        assertThatThrownBy(() -> parse("[tls]\ncert = \"cert.pem\"\n"))
                .hasMessageContaining("tls.cert: unknown key; allowed here: certificate, key");
    }

    @Test
    void theUsersFileDefaultsToTheDataDirectoryAndMayBeMoved() throws ConfigException {
        assertThat(parse("data_dir = \"d\"\n").auth().usersFile()).isEqualTo(dir.resolve("d/users"));
        assertThat(parse("[auth]\nusers_file = \"etc/herald-users\"\n").auth().usersFile())
                .isEqualTo(dir.resolve("etc/herald-users"));
        assertThatThrownBy(() -> parse("[auth]\nusers = \"x\"\n"))
                .hasMessageContaining("auth.users: unknown key; allowed here: users_file");
        assertThatThrownBy(() -> parse("[auth]\nusers_file = []\n"))
                .hasMessageContaining("auth.users_file: must be a string");
    }
}
