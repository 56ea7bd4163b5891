package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.testkit.SmtpDialogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DATA over a real socket: what reaches the spool, and what never does. */
class SmtpDataDialogueTest {

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.builder().maxMessageSize(20_000).start();
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(server.spool.inProgress()).as("messages left open in the spool").isZero();
    }

    private static void envelope(SmtpDialogue smtp, String... recipients) throws IOException {
        smtp.send("MAIL FROM:<a@example.test>").expect("250");
        for (String recipient : recipients) {
            smtp.send("RCPT TO:<" + recipient + ">").expect("250");
        }
        smtp.send("DATA").expect("354");
    }

    @Test
    void acceptedMessageIsCommittedWithItsEnvelopeAndTheQueueIdIsInTheReplyAndTheListenerHearsOfIt()
            throws IOException {
        SmtpReply reply;
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test", "c@example.test");
            reply = smtp.sendRaw("Subject: hello\r\n\r\nbody\r\n.\r\n").expect("250 2.0.0");
        }
        SpooledMessage message = server.onlyMessage();
        assertThat(reply.text()).isEqualTo("2.0.0 Ok: queued as " + message.id());
        Envelope envelope = message.envelope();
        assertThat(envelope.sender()).isEqualTo(Address.parse("a@example.test"));
        assertThat(envelope.recipients()).containsExactly(Address.parse("b@example.test"),
                Address.parse("c@example.test"));
        assertThat(envelope.received()).isEqualTo(TestServer.NOW);
        assertThat(envelope.clientIp()).isEqualTo("127.0.0.1");
        assertThat(envelope.heloName()).isEqualTo("client.test");
        assertThat(server.accepted).containsExactly(new TestServer.Accepted(message, "127.0.0.1", message.size()));
        assertThat(message.size()).isEqualTo(server.onlyContent().length());
    }

    @Test
    void receivedMessageIdAndDateArePrependedWhenMissing() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: hello\r\n\r\nbody\r\n.\r\n").expect("250");
        }
        String id = server.onlyMessage().id().toString();
        assertThat(server.onlyContent()).isEqualTo(
                "Received: from client.test ([127.0.0.1])\r\n"
                        + "\tby mx.herald.test (Herald) with ESMTP id " + id + "\r\n"
                        + "\tfor <b@example.test>; Tue, 3 Jun 2025 10:15:30 +0000\r\n"
                        + "Message-ID: <" + id + "@mx.herald.test>\r\n"
                        + "Date: Tue, 3 Jun 2025 10:15:30 +0000\r\n"
                        + "Subject: hello\r\n\r\nbody\r\n");
    }

    @Test
    void presentMessageIdAndDateAreKeptAndReceivedHasNoForWithSeveralRecipientsAndSaysSmtpAfterHelo()
            throws IOException {
        String message = "Date: Mon, 2 Jun 2025 08:00:00 +0200\r\nMessage-ID: <own@client.test>\r\n\r\nbody\r\n";
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.send("HELO old.test").expect("250");
            envelope(smtp, "b@example.test", "c@example.test");
            smtp.sendRaw(message + ".\r\n").expect("250");
        }
        String content = server.onlyContent();
        assertThat(content).startsWith("Received: from old.test ([127.0.0.1])\r\n")
                .contains("with SMTP id " + server.onlyMessage().id() + ";\r\n\tTue, 3 Jun 2025")
                .doesNotContain("for <")
                .endsWith(message);
        assertThat(content.split("Message-ID:", -1)).hasSize(2);
        assertThat(content.split("\nDate:", -1)).hasSize(2);
    }

    @Test
    void dotStuffedLinesAreUnstuffed() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: dots\r\n\r\n..\r\n...two\r\n.x\r\nend.\r\n.\r\n").expect("250");
        }
        assertThat(server.onlyContent()).endsWith("Subject: dots\r\n\r\n.\r\n..two\r\nx\r\nend.\r\n");
    }

    @Test
    void linesLongerThan1000OctetsAreAcceptedUnchanged() throws IOException {
        String longLine = "L".repeat(3000);
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: long\r\n\r\n" + longLine + "\r\n.\r\n").expect("250");
        }
        assertThat(server.onlyContent()).endsWith("\r\n\r\n" + longLine + "\r\n");
    }

    /**
     * SMTP smuggling: a fake end of data followed by a whole second transaction. The server must neither end the
     * message early nor run the smuggled commands; it refuses the message after the real end and stays in step.
     */
    @ParameterizedTest(name = "fake end {0}")
    @ValueSource(strings = {"\\n.\\n", "\\r.\\r", "\\r\\n.\\n", "\\n.\\r\\n", "\\r\\n.\\r", "\\r.\\r\\n",
            "\\r\\n\\u0000.\\r\\n"})
    void smugglingVariantsAreRefusedAndTheSmuggledTransactionNeverRuns(String fakeEnd) throws IOException {
        String fake = fakeEnd.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\0");
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: first\r\n\r\nfirst" + fake
                    + "MAIL FROM:<admin@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\n"
                    + "Subject: smuggled\r\n\r\nsmuggled\r\n.\r\nNOOP\r\n");
            smtp.expect("554 5.6.0");
            smtp.expect("250 2.0.0 Ok"); // the NOOP: the next reply, so no smuggled command was answered
            smtp.send("RCPT TO:<c@example.test>").expect("503 5.5.1"); // and the transaction is over
        }
        assertThat(server.spool.messages()).isEmpty();
        assertThat(server.accepted).isEmpty();
    }

    @Test
    void afterARefusedMessageTheSessionCanSendAGoodOne() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: bad\r\n\r\nbare\nLF\r\n.\r\n").expect("554 5.6.0");
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: good\r\n\r\nfine\r\n.\r\n").expect("250");
        }
        assertThat(server.onlyContent()).contains("Subject: good").doesNotContain("bare");
    }

    @Test
    void messageOverTheSizeLimitIsDrainedAndRefusedWith552AndTheSessionGoesOn() throws IOException {
        String line = "x".repeat(998) + "\r\n";
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: big\r\n\r\n" + line.repeat(100) + ".\r\n").expect("552 5.3.4");
            smtp.send("NOOP").expect("250");
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: small\r\n\r\n" + line.repeat(10) + ".\r\n").expect("250");
        }
        assertThat(server.onlyContent()).contains("Subject: small");
    }

    @Test
    void fullDiskBeforeDataAnswers452() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250");
            server.spool.diskFull(true);
            smtp.send("DATA").expect("452 4.3.1");
            server.spool.diskFull(false);
            smtp.send("DATA").expect("354");
            smtp.sendRaw("Subject: later\r\n\r\n.\r\n").expect("250");
        }
        assertThat(server.onlyContent()).contains("Subject: later");
    }

    @Test
    void diskFillingUpDuringDataAnswers452AndKeepsNothing() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: lost\r\n\r\n");
            server.spool.diskFull(true);
            smtp.sendRaw("x".repeat(100_000 / 100).repeat(10) + "\r\n.\r\n").expect("452 4.3.1");
            smtp.send("NOOP").expect("250");
        }
        assertThat(server.spool.messages()).isEmpty();
        assertThat(server.accepted).isEmpty();
    }

    @Test
    void wholeTransactionInOneWriteGetsEveryReplyInOrder() throws IOException {
        try (SmtpDialogue smtp = server.connect()) {
            smtp.expect("220");
            smtp.sendRaw("EHLO pipe.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n"
                    + "RCPT TO:<bad address>\r\nRCPT TO:<c@example.test>\r\nDATA\r\n"
                    + "Subject: one\r\n\r\n1\r\n.\r\n"
                    + "MAIL FROM:<a@example.test>\r\nRCPT TO:<d@example.test>\r\nDATA\r\n"
                    + "Subject: two\r\n\r\n2\r\n.\r\nQUIT\r\n");
            List<String> codes = new java.util.ArrayList<>();
            for (int i = 0; i < 11; i++) {
                SmtpReply reply = smtp.readReply();
                codes.add(reply.code() + reply.enhanced().map(e -> " " + e).orElse(""));
            }
            assertThat(codes).containsExactly("250", "250 2.1.0", "250 2.1.5", "501 5.1.3", "250 2.1.5", "354",
                    "250 2.0.0", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0");
            smtp.readReply(); // 221
            smtp.expectClosed();
        }
        assertThat(server.spool.messages()).hasSize(2);
    }

    @Test
    void clientClosingInTheMiddleOfDataLeavesNothing() throws IOException {
        try (SmtpDialogue smtp = server.greeted()) {
            envelope(smtp, "b@example.test");
            smtp.sendRaw("Subject: cut\r\n\r\nhalf a mess");
        }
        org.awaitility.Awaitility.await().until(() -> server.server.openSessions() == 0);
        assertThat(server.spool.messages()).isEmpty();
    }
}
