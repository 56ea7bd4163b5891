package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.LogCapture;
import org.heraldmta.testkit.Submitter;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay passwords (from an environment variable and from a file) and the admin token reach no log line, no
 * transcript, no event and no {@code herald log} output, even when a relay refuses the password.
 */
class SecretsNeverLoggedTest {

    private static final String ENV_PASSWORD = "env-pass-7d1f";
    private static final String FILE_PASSWORD = "file-pass-93ab";
    private static final String ADMIN_TOKEN = "admin-token-5c2e";

    @TempDir
    Path work;

    @Test
    void relayPasswordsAndTheAdminTokenAppearNowhere() throws Exception {
        try (FakeSmtpPeer refusing = FakeSmtpPeer.start().requireAuth("herald", "something-else", "PLAIN");
             FakeSmtpPeer accepting = FakeSmtpPeer.start().requireAuth("herald", FILE_PASSWORD, "LOGIN");
             LogCapture log = new LogCapture()) {
            Files.writeString(work.resolve("relay.secret"), FILE_PASSWORD + "\n");
            Path file = TestHeraldConfig.relayOnly().withDnsTimeout("1s").withAdminToken(ADMIN_TOKEN).write(work, """
                    [[relay]]
                    host = "127.0.0.1"
                    port = %d
                    tls = "none"
                    username = "herald"
                    password_env = "HERALD_TEST_RELAY_PASSWORD"
                    [[relay]]
                    host = "127.0.0.1"
                    port = %d
                    tls = "none"
                    username = "herald"
                    password_file = "relay.secret"
                    [domains.default]
                    direct_attempts = 0
                    relay_attempts = 1
                    """.formatted(refusing.port(), accepting.port()));
            Map<String, String> environment = Map.of("HERALD_TEST_RELAY_PASSWORD", ENV_PASSWORD);
            String id;
            try (Herald herald = Herald.start(new ConfigLoader("herald.test", work, environment::get).load(file),
                    InstantSource.system())) {
                id = Submitter.submit("127.0.0.1", herald.smtpAddresses().getFirst().getPort(),
                        "app@herald.test", List.of("friend@far.test"), "token-secrets");
                awaitDelivered(accepting);
            }
            assertThat(accepting.authenticatedUsers()).containsExactly("herald");
            assertThat(refusing.commands("AUTH")).isNotEmpty();

            StringWriter out = new StringWriter();
            org.heraldmta.cli.Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "log", "--config",
                    file.toString(), id);
            String everything = log.all() + "\n" + out + "\n" + allFilesUnder(work.resolve("var/log"));
            assertThat(everything).contains("authenticated as herald", ">> AUTH PLAIN ****",
                    "\"text\":\"AUTH PLAIN ****\"");
            for (String secret : List.of(ENV_PASSWORD, FILE_PASSWORD, ADMIN_TOKEN, b64(FILE_PASSWORD),
                    b64("\0herald\0" + ENV_PASSWORD))) {
                assertThat(everything).doesNotContain(secret);
            }
        }
    }

    private static void awaitDelivered(FakeSmtpPeer peer) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (peer.messages().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(peer.messages()).hasSize(1);
        Thread.sleep(300); // let the delivered event and the transcript be written
    }

    private static String allFilesUnder(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
