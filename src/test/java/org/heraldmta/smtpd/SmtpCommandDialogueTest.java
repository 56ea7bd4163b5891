package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.Cidr;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.testkit.SmtpDialogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every command and its errors, over a real socket. */
class SmtpCommandDialogueTest {

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.builder().maxMessageSize(10_000).maxRecipients(3).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void greetingAndEhloNameTheHostAndAdvertiseExactlyTheSupportedExtensions() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            assertThat(smtp.expect("220 ").text()).contains(TestServer.HOSTNAME);
            SmtpReply ehlo = smtp.send("EHLO client.test").expect("250");
            assertThat(ehlo.lines()).containsExactly(TestServer.HOSTNAME, "SIZE 10000", "PIPELINING", "8BITMIME",
                    "ENHANCEDSTATUSCODES", "SMTPUTF8");
        }
    }

    @Test
    void heloGetsOneLineAndNoParametersAreAllowedAfterIt() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            assertThat(smtp.send("HELO client.test").expect("250 ").lines()).containsExactly(TestServer.HOSTNAME);
            smtp.send("MAIL FROM:<a@example.test> SIZE=10").expect("555 5.5.4");
            smtp.send("MAIL FROM:<a@example.test>").expect("250 2.1.0");
        }
    }

    @Test
    void heloAndEhloNeedAName() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.send("EHLO").expect("501 5.5.4");
            smtp.send("HELO   ").expect("501 5.5.4");
        }
    }

    @Test
    void commandsOutOfSequenceAreRefusedWith503() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.send("MAIL FROM:<a@example.test>").expect("503 5.5.1");
            smtp.send("EHLO client.test").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("503 5.5.1");
            smtp.send("DATA").expect("503 5.5.1");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("MAIL FROM:<a@example.test>").expect("503 5.5.1");
            smtp.send("DATA").expect("503 5.5.1");
        }
    }

    @Test
    void dataAfterEveryRecipientWasRefusedSaysNoValidRecipients() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<not an address>").expect("501 5.1.3");
            smtp.send("DATA").expect("554 5.5.1");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "MAIL FROM:a@example.test              | 501 5.5.4",
            "MAIL TO:<a@example.test>              | 501 5.5.4",
            "MAIL FROM:<a@example.test             | 501 5.5.4",
            "MAIL FROM:<no-domain>                 | 501 5.1.7",
            "MAIL FROM:<a..b@example.test>         | 501 5.1.7",
            "MAIL FROM:<a@bad_domain-.test>        | 501 5.1.7",
            "MAIL FROM:<a@example.test> SIZE=abc   | 501 5.5.4",
            "MAIL FROM:<a@example.test> SIZE=10001 | 552 5.3.4",
            "MAIL FROM:<a@example.test> SIZE=99999999999999999999 | 552 5.3.4",
            "MAIL FROM:<a@example.test> BODY=BINARYMIME | 501 5.5.4",
            "MAIL FROM:<a@example.test> SMTPUTF8=yes | 501 5.5.4",
            "MAIL FROM:<a@example.test> SIZE=1 SIZE=2 | 501 5.5.4",
            "MAIL FROM:<a@example.test> RET=HDRS   | 555 5.5.4",
            "MAIL FROM:<jörg@example.test>         | 553 5.6.7",
            "MAIL FROM:<a@bücher.test>             | 553 5.6.7"})
    void badMailCommandsGetTheirOwnReply(String command, String expected) throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send(command).expect(expected);
            smtp.send("MAIL FROM:<a@example.test>").expect("250 2.1.0"); // no transaction was started
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "RCPT TO:b@example.test            | 501 5.5.4",
            "RCPT FROM:<b@example.test>        | 501 5.5.4",
            "RCPT TO:<>                        | 501 5.1.3",
            "RCPT TO:<b@>                      | 501 5.1.3",
            "RCPT TO:<b@example.test> NOTIFY=NEVER | 555 5.5.4",
            "RCPT TO:<jörg@example.test>       | 553 5.6.7"})
    void badRcptCommandsGetTheirOwnReply(String command, String expected) throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send(command).expect(expected);
        }
    }

    @Test
    void validParametersSourceRoutesAndNullSenderAreAccepted() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<> SIZE=100 BODY=8BITMIME").expect("250 2.1.0");
            smtp.send("RCPT TO:<@relay.test:b@example.test>").expect("250 2.1.5");
            smtp.send("RSET").expect("250 2.0.0");
            smtp.send("mail from: <a@example.test> body=7bit").expect("250 2.1.0");
        }
    }

    @Test
    void nonAsciiAddressesAreAcceptedWithSmtpUtf8AndMarkedSo() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<jörg@bücher.test> SMTPUTF8").expect("250");
            smtp.send("RCPT TO:<zoë@example.test>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("Subject: ü\r\n\r\nhallo\r\n.\r\n").expect("250 2.0.0");
        }
        assertThat(server.onlyMessage().envelope().smtpUtf8()).isTrue();
        assertThat(server.onlyMessage().envelope().sender().domain().name()).isEqualTo("xn--bcher-kva.test");
        assertThat(server.onlyContent()).contains("with UTF8SMTP id").contains("for <zoë@example.test>");
    }

    @Test
    void tooManyRecipientsGet452AndTheMessageGoesToThoseAccepted() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            for (int i = 1; i <= 3; i++) {
                smtp.send("RCPT TO:<r" + i + "@example.test>").expect("250 2.1.5");
            }
            smtp.send("RCPT TO:<r4@example.test>").expect("452 4.5.3");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("Subject: x\r\n\r\nx\r\n.\r\n").expect("250");
        }
        assertThat(server.onlyMessage().envelope().recipients()).extracting(Address::localPart)
                .containsExactly("r1", "r2", "r3");
    }

    @Test
    void duplicateRecipientIsAcceptedButKeptOnce() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250");
            smtp.send("RCPT TO:<b@EXAMPLE.test>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("\r\n.\r\n").expect("250");
        }
        assertThat(server.onlyMessage().envelope().recipients()).hasSize(1);
    }

    @Test
    void clientOutsideTheAllowListMayNotRelay() throws IOException {
        try (TestServer closed = TestServer.builder().access(new AccessSettings(List.of(Cidr.parse("10.0.0.0/8"))))
                .start(); SmtpDialogue smtp = closed.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            SmtpReply refused = smtp.send("RCPT TO:<b@example.test>").expect("550 5.7.1");
            assertThat(refused.text()).contains("Relay access denied").contains("127.0.0.1");
            smtp.send("DATA").expect("554 5.5.1");
            assertThat(closed.spool.messages()).isEmpty();
        }
    }

    @Test
    void rsetEndsTheTransactionAndTakesNoArgument() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RSET now").expect("501 5.5.4");
            smtp.send("RSET").expect("250 2.0.0");
            smtp.send("RCPT TO:<b@example.test>").expect("503 5.5.1");
        }
    }

    @Test
    void ehloInTheMiddleOfATransactionEndsIt() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("EHLO again.test").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("503 5.5.1");
        }
    }

    @Test
    void noopVrfyHelpAndUnknownCommands() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.send("NOOP").expect("250 2.0.0");
            smtp.send("noop with text").expect("250 2.0.0");
            smtp.send("VRFY someone").expect("252 2.5.2");
            smtp.send("VRFY").expect("501 5.5.4");
            smtp.send("HELP").expect("214 2.0.0");
            smtp.send("EXPN list").expect("502 5.5.1");
            smtp.send("STARTTLS").expect("502 5.5.1");
            smtp.send("BDAT 10 LAST").expect("502 5.5.1");
            smtp.send("FROB").expect("500 5.5.1");
            smtp.send("").expect("500 5.5.2");
            smtp.send(" NOOP").expect("500 5.5.2");
        }
    }

    @Test
    void quitSays221AndCloses() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.send("QUIT").expect("221 2.0.0");
            smtp.expectClosed();
        }
    }

    @Test
    void overlongCommandLineGets500AndTheSessionGoesOn() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<" + "a".repeat(600) + "@example.test>").expect("500 5.5.2");
            smtp.send("EHLO " + "h".repeat(5000)).expect("500 5.5.2");
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
        }
    }

    @Test
    void commandLinesWithBareLfBareCrOrNulAreRefusedAndTheSessionGoesOn() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.sendRaw("NOOP\n").expect("500 5.5.2");
            smtp.sendRaw("NO\rOP\r\n").expect("500 5.5.2");
            smtp.sendRaw("NO\0OP\r\n").expect("500 5.5.2");
            smtp.sendRaw(new byte[] {'N', 'O', (byte) 0xff, '\r', '\n'}).expect("500 5.5.2");
            smtp.send("NOOP").expect("250");
        }
    }

    @Test
    void twentyErrorsEndTheSessionWith421() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            for (int i = 1; i < SessionLimits.DEFAULTS.maxErrors(); i++) {
                smtp.send("BOGUS " + i).expect("500");
            }
            smtp.send("BOGUS last").expect("500");
            smtp.expect("421 4.7.0");
            smtp.expectClosed();
        }
    }

    @Test
    void httpRequestIsCutOffAtOnce() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.sendRaw("POST / HTTP/1.1\r\nHost: x\r\n\r\nMAIL FROM:<a@example.test>\r\n");
            smtp.expect("421 4.7.0");
            smtp.expectClosed();
        }
    }
}
