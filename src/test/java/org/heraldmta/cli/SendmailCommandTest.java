package org.heraldmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.heraldmta.app.Herald;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.SmtpSink;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald sendmail} against a running Herald that relays everything to a peer which records envelope and
 * content: what a program pipes in is what arrives, with the envelope the sendmail conventions give.
 */
class SendmailCommandTest {

    @TempDir
    Path work;

    private FakeSmtpPeer relay;
    private Herald herald;

    @AfterEach
    void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aMessageOnStandardInputArrivesUnchangedForTheRecipientsGivenAsArguments() throws Exception {
        Path config = startHerald();
        String body = "Subject: nightly report\n\nAll 12 jobs ran.\n..a line that starts with a dot\n\ttabbed\n";

        Result result = sendmail(body, "--config", config.toString(), "-oi", "-f", "cron@app.test",
                "ops@dest.test", "dev@dest.test");

        assertThat(result.code()).as(result.err()).isZero();
        FakeSmtpPeer.ReceivedMessage received = awaitMessage();
        assertThat(received.sender()).isEqualTo("cron@app.test");
        assertThat(received.recipients()).containsExactly("ops@dest.test", "dev@dest.test");
        String content = received.content();
        // Herald prepends its Received field and adds Message-ID and Date; the program's lines follow unchanged.
        assertThat(content).startsWith("Received: ").contains("From: cron@app.test\r\n")
                .contains("Message-ID: <", "Date: ")
                .endsWith("Subject: nightly report\r\n\r\nAll 12 jobs ran.\r\n..a line that starts with a dot\r\n"
                        + "\ttabbed\r\n");
    }

    @Test
    void minusTTakesRecipientsFromToCcAndBccAndTheBccFieldDoesNotArrive() throws Exception {
        Path config = startHerald();
        String message = """
                From: Shop <shop@app.test>
                To: ann@dest.test
                Cc: Bob <bob@dest.test>
                Bcc: archive@dest.test,
                 audit@dest.test
                Subject: your order

                It has shipped.
                """;

        Result result = sendmail(message, "--config", config.toString(), "-t", "-i", "-f", "shop@app.test");

        assertThat(result.code()).as(result.err()).isZero();
        FakeSmtpPeer.ReceivedMessage received = awaitMessage();
        assertThat(received.recipients())
                .containsExactlyInAnyOrder("ann@dest.test", "bob@dest.test", "archive@dest.test", "audit@dest.test");
        assertThat(received.content()).doesNotContainIgnoringCase("bcc").doesNotContain("archive@", "audit@")
                .contains("From: Shop <shop@app.test>\r\nTo: ann@dest.test\r\nCc: Bob <bob@dest.test>\r\n"
                        + "Subject: your order\r\n")
                .endsWith("\r\n\r\nIt has shipped.\r\n");
    }

    @Test
    void minusFGivesTheFromFieldAFullNameWhenTheProgramWroteNone() throws Exception {
        Path config = startHerald();

        Result result = sendmail("Subject: hi\n\nbody\n", "--config", config.toString(), "-f", "backup@app.test",
                "-F", "Backup Job", "ops@dest.test");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(awaitMessage().content()).contains("From: \"Backup Job\" <backup@app.test>\r\n");
    }

    @Test
    void withoutARunningServerItExitsWithTempfailAndOneLine() throws Exception {
        int closedPort = SmtpSink.freePort("127.0.0.1");
        Path config = Files.writeString(work.resolve("herald.toml"), """
                [smtp]
                listen = ["127.0.0.1:%d"]
                """.formatted(closedPort));

        Result result = sendmail("Subject: x\n\nbody\n", "--config", config.toString(), "ops@dest.test");

        assertThat(result.code()).isEqualTo(SendmailCommand.EX_TEMPFAIL);
        assertThat(result.err().strip()).startsWith("sendmail: ").doesNotContain("\n");
    }

    @Test
    void withoutRecipientsItIsAUsageErrorAndNothingIsSent() throws Exception {
        Path config = startHerald();

        Result result = sendmail("Subject: x\n\nbody\n", "--config", config.toString());

        assertThat(result.code()).isEqualTo(SendmailCommand.EX_USAGE);
        assertThat(result.err()).contains("no recipients");
        assertThat(relay.connections()).isZero();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result sendmail(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SendmailCommand.run(List.of(args),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
                new PrintWriter(err, true), "tester");
        return new Result(code, out.toString(), err.toString());
    }

    private Path startHerald() throws Exception {
        relay = FakeSmtpPeer.start();
        herald = TestHeraldConfig.relayOnly().start(work, TestHeraldConfig.relayEverythingTo(relay.port(), "relay_attempts = 1"));
        // The file names port 0; the command must reach the port Herald really bound.
        int port = herald.smtpAddresses().get(0).getPort();
        return Files.writeString(work.resolve("client.toml"), """
                hostname = "herald.test"
                [smtp]
                listen = ["127.0.0.1:%d"]
                """.formatted(port));
    }

    private FakeSmtpPeer.ReceivedMessage awaitMessage() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (relay.messages().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(relay.messages()).as("messages at the relay").hasSize(1);
        return relay.messages().get(0);
    }
}
