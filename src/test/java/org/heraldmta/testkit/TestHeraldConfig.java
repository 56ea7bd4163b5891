package org.heraldmta.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import org.heraldmta.app.Herald;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;

/**
 * The head of the configuration file that every Herald a test starts in-process shares: hostname herald.test, its
 * data under {@code var} in the test's folder, SMTP and admin listeners on free loopback ports (port 0, so tests
 * running at once, or a server running on 8025, never collide), and a DNS server that is a local dnsmasq or a dead
 * loopback port, never the system resolver. A test appends its own {@code [[relay]]} and {@code [domains...]}
 * tables after the head, which ends inside {@code [dns]}.
 */
public record TestHeraldConfig(String dnsServer, String dnsTimeout, Optional<String> adminToken) {

    /** The discard port on loopback: no DNS server answers there. */
    public static final String DEAD_DNS_SERVER = "127.0.0.1:9";

    public TestHeraldConfig {
        Objects.requireNonNull(dnsServer, "dnsServer");
        Objects.requireNonNull(dnsTimeout, "dnsTimeout");
        Objects.requireNonNull(adminToken, "adminToken");
    }

    /** Looks names up at {@code dnsServer} ({@code IP:PORT} of a dnsmasq or of a dead port) with a 2 s timeout. */
    public static TestHeraldConfig resolvingAt(String dnsServer) {
        return new TestHeraldConfig(dnsServer, "2s", Optional.empty());
    }

    /** For tests that only relay to IP addresses: nothing should be looked up, and nothing would answer. */
    public static TestHeraldConfig relayOnly() {
        return resolvingAt(DEAD_DNS_SERVER);
    }

    public TestHeraldConfig withDnsTimeout(String timeout) {
        return new TestHeraldConfig(dnsServer, timeout, adminToken);
    }

    /** Sets {@code [admin] token}. */
    public TestHeraldConfig withAdminToken(String token) {
        return new TestHeraldConfig(dnsServer, dnsTimeout, Optional.of(token));
    }

    /** The shared head of the file, ending inside {@code [dns]}. */
    public String header() {
        return """
                # Herald under test
                hostname = "herald.test"
                data_dir = "var"

                [smtp]
                listen = ["127.0.0.1:0"]

                [admin]
                listen = "127.0.0.1:0"
                %s
                [dns]
                servers = ["%s"]
                timeout = "%s"

                """.formatted(adminToken.map(token -> "token = \"" + token + "\"\n").orElse(""), dnsServer,
                dnsTimeout);
    }

    /**
     * The tables of a Herald that hands every message to one relay on 127.0.0.1 (plain text, no direct delivery):
     * {@code [[relay]]} and a {@code [domains.default]} with {@code direct_attempts = 0} and {@code defaultKeys}
     * (which must set {@code relay_attempts}).
     */
    public static String relayEverythingTo(int relayPort, String defaultKeys) {
        return """
                [[relay]]
                host = "127.0.0.1"
                port = %d
                tls = "none"

                [domains.default]
                direct_attempts = 0
                %s
                """.formatted(relayPort, defaultKeys.strip());
    }

    /** Where {@link #write} puts the file: {@code herald.toml} in {@code work}. */
    public static Path fileIn(Path work) {
        return work.resolve("herald.toml");
    }

    /** Writes {@link #header()} followed by {@code tables} to {@link #fileIn(Path) work/herald.toml}. */
    public Path write(Path work, String tables) throws IOException {
        return Files.writeString(fileIn(work), header() + tables);
    }

    /**
     * Writes the file as {@link #write} does and starts Herald on it; a reload reads that file again.
     *
     * @throws ConfigException when the file is not a valid configuration
     */
    public Herald start(Path work, String tables) throws IOException, ConfigException {
        Path file = write(work, tables);
        ConfigLoader loader = new ConfigLoader("herald.test", work);
        return Herald.start(loader.load(file), loader, InstantSource.system());
    }
}
