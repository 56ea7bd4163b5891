package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.heraldmta.auth.PasswordHasher;
import org.heraldmta.auth.SenderPattern;
import org.heraldmta.auth.User;
import org.heraldmta.auth.UserFile;
import org.heraldmta.auth.UserFileAuthenticator;
import org.heraldmta.config.AccessRule;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.Cidr;
import org.heraldmta.config.ClientLimits;
import org.heraldmta.testkit.LogCapture;
import org.heraldmta.testkit.SmtpDialogue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTH PLAIN and LOGIN over real sockets: where it is offered, success, failure, limits and sender rules. */
class SmtpAuthTest {

    private static final PasswordHasher HASHER = new PasswordHasher(PasswordHasher.Cost.FOR_TESTS);
    private static final String PASSWORD = "Tr0ub4dor&3";

    /** Nobody may relay without authentication: every accepted recipient below is thanks to AUTH. */
    private static final AccessSettings CLOSED = new AccessSettings(
            List.of(AccessRule.deny(Cidr.parse("0.0.0.0/0"))), ClientLimits.DEFAULTS);

    @TempDir
    Path dir;

    private TestTls tls;
    private UserFileAuthenticator users;

    @BeforeEach
    void users() throws Exception {
        tls = TestTls.selfSigned(dir);
        Path file = dir.resolve("users");
        UserFile.write(file, List.of(
                new User("alice", HASHER.hash(PASSWORD.getBytes(StandardCharsets.UTF_8)), List.of()),
                new User("shop", HASHER.hash(PASSWORD.getBytes(StandardCharsets.UTF_8)),
                        List.of(SenderPattern.parse("@shop.example.test"), SenderPattern.parse("boss@example.test")))));
        users = new UserFileAuthenticator(file, HASHER, 2);
    }

    private TestServer.Builder server() {
        return TestServer.builder().tls(tls.server()).authenticator(users).access(CLOSED);
    }

    private SmtpDialogue underTls(TestServer server) throws IOException {
        SmtpDialogue smtp = server.greeted();
        smtp.send("STARTTLS").expect("220");
        smtp.startTls(tls.clientTrust(), TestServer.HOSTNAME);
        smtp.send("EHLO client.test").expect("250");
        return smtp;
    }

    private static String plain(String authorize, String user, String password) {
        return b64(authorize + "\0" + user + "\0" + password);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authIsNeitherOfferedNorAcceptedBeforeTls() throws IOException {
        try (TestServer server = server().start(); SmtpDialogue smtp = server.greeted()) {
            assertThat(smtp.send("EHLO client.test").expect("250").lines()).noneMatch(l -> l.startsWith("AUTH"));
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("538 5.7.11");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("550 5.7.1");
        }
    }

    @Test
    void onLoopbackAuthWithoutTlsIsOfferedOnlyWhenConfigured() throws IOException {
        try (TestServer server = server().authWithoutTlsOnLoopback(true).start();
             SmtpDialogue smtp = server.greeted()) {
            assertThat(smtp.send("EHLO client.test").expect("250").lines()).contains("AUTH PLAIN LOGIN");
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("235 2.7.0");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("\r\n.\r\n").expect("250");
            assertThat(server.onlyContent()).contains("with ESMTPA id");
        }
    }

    @Test
    void authPlainAfterStartTlsLetsTheClientRelayAndTheFieldSaysEsmtpsa() throws IOException {
        try (TestServer server = server().start(); SmtpDialogue smtp = underTls(server)) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("550 5.7.1");
            smtp.send("RSET").expect("250");
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("235 2.7.0");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250 2.1.5");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("Subject: authenticated\r\n\r\nhi\r\n.\r\n").expect("250 2.0.0");
            assertThat(server.onlyContent()).contains("with ESMTPSA id");
        }
    }

    @Test
    void authPlainWithoutInitialResponseGetsAnEmptyChallenge() throws IOException {
        try (TestServer server = server().start(); SmtpDialogue smtp = underTls(server)) {
            assertThat(smtp.send("AUTH PLAIN").expect("334").lines()).containsExactly("");
            smtp.send(plain("alice", "alice", PASSWORD)).expect("235 2.7.0");
        }
    }

    @Test
    void authLoginAsksForNameThenPassword() throws IOException {
        try (TestServer server = server().start(); SmtpDialogue smtp = underTls(server)) {
            assertThat(smtp.send("AUTH LOGIN").expect("334").text()).isEqualTo(b64("Username:"));
            assertThat(smtp.send(b64("alice")).expect("334").text()).isEqualTo(b64("Password:"));
            smtp.send(b64(PASSWORD)).expect("235 2.7.0");
            smtp.send("AUTH LOGIN").expect("503 5.5.1");
        }
    }

    @Test
    void authLoginMayCarryTheNameInTheCommand() throws IOException {
        try (TestServer server = server().start(); SmtpDialogue smtp = underTls(server)) {
            assertThat(smtp.send("AUTH LOGIN " + b64("alice")).expect("334").text()).isEqualTo(b64("Password:"));
            smtp.send(b64("wrong")).expect("535 5.7.8");
        }
    }

    @Test
    void wrongCredentialsAndMalformedExchangesAreRefused() throws IOException {
        try (TestServer server = server().start(); SmtpDialogue smtp = underTls(server)) {
            smtp.send("AUTH PLAIN " + plain("", "alice", "wrong")).expect("535 5.7.8");
            smtp.send("AUTH PLAIN " + plain("", "nobody", PASSWORD)).expect("535 5.7.8");
            smtp.send("AUTH PLAIN " + plain("shop", "alice", PASSWORD)).expect("535 5.7.8"); // acting for another user
            smtp.send("AUTH PLAIN not*base64").expect("501 5.5.2");
            smtp.send("AUTH PLAIN " + b64("no separators")).expect("501 5.5.2");
            smtp.send("AUTH CRAM-MD5").expect("504 5.5.4");
            smtp.send("AUTH").expect("501 5.5.4");
            smtp.send("AUTH LOGIN").expect("334");
            smtp.send("*").expect("501 5.7.0");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("503 5.5.1"); // not inside a transaction
            smtp.send("RSET").expect("250");
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("235");
        }
    }

    @Test
    void authNeedsEhloFirst() throws IOException {
        try (TestServer server = server().authWithoutTlsOnLoopback(true).start();
             SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("503 5.5.1");
            smtp.send("HELO client.test").expect("250");
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("503 5.5.1");
        }
    }

    @Test
    void tooManyFailuresFromOneAddressEndInADelayedDisconnectAndBlockItsNextSessions() throws IOException {
        ManualClock clock = new ManualClock(TestServer.NOW);
        Duration delay = Duration.ofMillis(300);
        AccessSettings limited = CLOSED.withLimits(new ClientLimits(100, 10, 1000, 3, Duration.ofMinutes(10), delay));
        try (TestServer server = server().access(limited).clock(clock).start()) {
            try (SmtpDialogue smtp = underTls(server)) {
                smtp.send("AUTH PLAIN " + plain("", "alice", "guess1")).expect("535");
                smtp.send("AUTH PLAIN " + plain("", "alice", "guess2")).expect("535");
                long start = System.nanoTime();
                smtp.send("AUTH PLAIN " + plain("", "alice", "guess3")).expect("421 4.7.0");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
                smtp.expectClosed();
            }
            try (SmtpDialogue smtp = underTls(server)) {
                smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("421 4.7.0"); // even the right password, for now
                smtp.expectClosed();
            }
            try (SmtpDialogue other = SmtpDialogue.connectFrom("127.0.0.2", "127.0.0.1", server.port())) {
                other.expect("220");
                other.send("EHLO other.test").expect("250");
                other.send("STARTTLS").expect("220");
                other.startTls(tls.clientTrust(), TestServer.HOSTNAME);
                other.send("EHLO other.test").expect("250");
                other.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("235"); // another address
            }
            clock.advance(Duration.ofMinutes(10));
            try (SmtpDialogue smtp = underTls(server)) {
                smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("235"); // the window has passed
            }
        }
    }

    @Test
    void aRestrictedUserMayUseOnlyItsSenders() throws IOException {
        try (TestServer server = server().start(); SmtpDialogue smtp = underTls(server)) {
            smtp.send("AUTH PLAIN " + plain("", "shop", PASSWORD)).expect("235");
            smtp.send("MAIL FROM:<alice@example.test>").expect("553 5.7.1").text();
            smtp.send("MAIL FROM:<>").expect("553 5.7.1");
            smtp.send("MAIL FROM:<orders@sub.shop.example.test>").expect("553 5.7.1");
            smtp.send("MAIL FROM:<orders@shop.example.test>").expect("250");
            smtp.send("RSET").expect("250");
            smtp.send("MAIL FROM:<Boss@Example.TEST>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250");
        }
    }

    @Test
    void secretsNeverReachTheLog() throws IOException {
        try (LogCapture log = new LogCapture();
             TestServer server = server().start(); SmtpDialogue smtp = underTls(server)) {
            smtp.send("AUTH PLAIN " + plain("", "alice", "wrong-" + PASSWORD)).expect("535");
            smtp.send("AUTH LOGIN " + b64("alice")).expect("334");
            smtp.send(b64("other-" + PASSWORD)).expect("535");
            smtp.send("AUTH PLAIN " + plain("", "alice", PASSWORD)).expect("235");
            smtp.send("QUIT").expect("221");
            smtp.expectClosed();

            String logged = log.all();
            assertThat(logged).contains("authenticated as alice").contains("AUTH PLAIN failed");
            for (String secret : List.of(PASSWORD, b64(PASSWORD), plain("", "alice", PASSWORD),
                    b64("other-" + PASSWORD), plain("", "alice", "wrong-" + PASSWORD), "argon2")) {
                assertThat(logged).doesNotContain(secret);
            }
        }
    }
}
