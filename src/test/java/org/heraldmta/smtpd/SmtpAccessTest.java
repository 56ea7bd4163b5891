package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.heraldmta.auth.PasswordHasher;
import org.heraldmta.auth.User;
import org.heraldmta.auth.UserFile;
import org.heraldmta.auth.UserFileAuthenticator;
import org.heraldmta.config.AccessRule;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.Cidr;
import org.heraldmta.config.ClientLimits;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.testkit.LogCapture;
import org.heraldmta.testkit.SmtpDialogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may relay and how much any client may take, over real sockets. Clients come from different addresses of
 * 127.0.0.0/8, so rules about "outside" clients are tested without leaving loopback.
 */
class SmtpAccessTest {

    @TempDir
    Path dir;

    private static AccessSettings rules(AccessRule... rules) {
        return new AccessSettings(List.of(rules), ClientLimits.DEFAULTS);
    }

    private static SmtpDialogue greetedFrom(String localIp, TestServer server) throws IOException {
        SmtpDialogue smtp = SmtpDialogue.connectFrom(localIp, "127.0.0.1", server.port());
        smtp.expect("220");
        smtp.send("EHLO client.test").expect("250");
        return smtp;
    }

    @Test
    void theFirstMatchingRuleDecides() throws IOException {
        AccessSettings access = rules(AccessRule.allow(Cidr.parse("127.0.0.1")), AccessRule.deny(Cidr.parse("127.0.0.0/8")),
                AccessRule.allow(Cidr.parse("0.0.0.0/0")));
        try (TestServer server = TestServer.builder().access(access).start();
             SmtpDialogue allowed = greetedFrom("127.0.0.1", server);
             SmtpDialogue denied = greetedFrom("127.0.0.7", server)) {
            allowed.send("MAIL FROM:<a@example.test>").expect("250");
            allowed.send("RCPT TO:<b@example.test>").expect("250");
            denied.send("MAIL FROM:<a@example.test>").expect("250");
            SmtpReply refused = denied.send("RCPT TO:<b@example.test>").expect("550 5.7.1");
            assertThat(refused.text()).contains("Relay access denied").contains("127.0.0.7")
                    .contains("denied by rule \"deny 127.0.0.0/8\"");
        }
    }

    @Test
    void anOpenRelayAttemptFromOutsideTheAllowRulesIsRefusedAndLoggedButAuthenticationOpensTheWay()
            throws Exception {
        TestTls tls = TestTls.selfSigned(dir);
        PasswordHasher hasher = new PasswordHasher(PasswordHasher.Cost.FOR_TESTS);
        Path file = dir.resolve("users");
        UserFile.write(file, List.of(new User("app", hasher.hash("pw".getBytes(StandardCharsets.UTF_8)), List.of())));
        AccessSettings access = rules(AccessRule.allow(Cidr.parse("10.0.0.0/8")));
        try (LogCapture log = new LogCapture();
             TestServer server = TestServer.builder().access(access).tls(tls.server())
                     .authenticator(new UserFileAuthenticator(file, hasher, 2)).start();
             SmtpDialogue smtp = greetedFrom("127.0.0.9", server)) {
            smtp.send("MAIL FROM:<spammer@example.test>").expect("250");
            SmtpReply refused = smtp.send("RCPT TO:<victim@elsewhere.test>").expect("550 5.7.1");
            assertThat(refused.text()).contains("<victim@elsewhere.test>: Relay access denied")
                    .contains("not in any allow rule");
            smtp.send("DATA").expect("554 5.5.1");
            assertThat(log.all()).contains("relay denied: client 127.0.0.9 (not in any allow rule)");

            smtp.send("STARTTLS").expect("220");
            smtp.startTls(tls.clientTrust(), TestServer.HOSTNAME);
            smtp.send("EHLO client.test").expect("250");
            smtp.send("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0app\0pw".getBytes(StandardCharsets.UTF_8)))
                    .expect("235");
            smtp.send("MAIL FROM:<app@example.test>").expect("250");
            smtp.send("RCPT TO:<customer@elsewhere.test>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("\r\n.\r\n").expect("250");
            assertThat(server.onlyMessage().envelope().clientIp()).isEqualTo("127.0.0.9");
        }
    }

    @Test
    void connectionsBeyondThePerAddressLimitGet421AtOnce() throws IOException {
        AccessSettings access = AccessSettings.DEFAULTS.withLimits(
                new ClientLimits(100, 2, 1000, 5, Duration.ofMinutes(15), Duration.ZERO));
        try (TestServer server = TestServer.builder().access(access).start()) {
            SmtpDialogue first = greetedFrom("127.0.0.1", server);
            SmtpDialogue second = greetedFrom("127.0.0.1", server);
            try (SmtpDialogue third = SmtpDialogue.connectFrom("127.0.0.1", "127.0.0.1", server.port())) {
                assertThat(third.expect("421 4.7.0").text()).contains("too many connections from 127.0.0.1");
                third.expectClosed();
            }
            try (SmtpDialogue elsewhere = greetedFrom("127.0.0.2", server)) {
                elsewhere.send("NOOP").expect("250");
            }
            first.send("QUIT").expect("221");
            first.close();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.server.openSessions() == 1);
            try (SmtpDialogue again = greetedFrom("127.0.0.1", server)) {
                again.send("NOOP").expect("250");
            }
            second.send("NOOP").expect("250");
            second.close();
        }
    }

    @Test
    void connectionsBeyondTheTotalLimitGet421() throws IOException {
        AccessSettings access = AccessSettings.DEFAULTS.withLimits(
                new ClientLimits(2, 10, 1000, 5, Duration.ofMinutes(15), Duration.ZERO));
        try (TestServer server = TestServer.builder().access(access).start();
             SmtpDialogue one = greetedFrom("127.0.0.1", server);
             SmtpDialogue two = greetedFrom("127.0.0.2", server);
             SmtpDialogue three = SmtpDialogue.connectFrom("127.0.0.3", "127.0.0.1", server.port())) {
            assertThat(three.expect("421 4.7.0").text()).contains("too many connections");
            three.expectClosed();
            one.send("NOOP").expect("250");
            two.send("NOOP").expect("250");
        }
    }

    @Test
    void aSessionEndsAfterItsCommandLimit() throws IOException {
        AccessSettings access = AccessSettings.DEFAULTS.withLimits(
                new ClientLimits(100, 10, 5, 5, Duration.ofMinutes(15), Duration.ZERO));
        try (TestServer server = TestServer.builder().access(access).start();
             SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.send("EHLO client.test").expect("250");
            smtp.send("NOOP").expect("250");
            smtp.send("BOGUS").expect("500");
            smtp.send("NOOP").expect("250");
            smtp.send("RSET").expect("250");
            smtp.send("NOOP").expect("421 4.7.0");
            smtp.expectClosed();
        }
    }
}
