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
}
