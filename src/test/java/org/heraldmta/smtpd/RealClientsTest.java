package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.heraldmta.mail.Address;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.testkit.RealPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server driven by clients nobody here wrote: Jakarta Mail (Angus), swaks and Postfix's smtp-source. */
class RealClientsTest {

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.builder().maxMessageSize(10_000_000).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void jakartaMailSendsAMessageWithAnAttachmentThatArrivesIntactInTheSpool() throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(server.port()));
        properties.put("mail.smtp.localhost", "jakarta.test"); // else it looks up this machine's name
        properties.put("mail.from", "sender@example.test"); // else Message-ID needs this machine's name
        properties.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(properties);

        byte[] attachment = new byte[300_000];
        new Random(42).nextBytes(attachment);
        String text = "Hello,\r\n.a line that starts with a dot\r\n.\r\nthe end\r\n";
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@example.test"));
        message.setRecipients(Message.RecipientType.TO, "one@example.test, two@example.test");
        message.setSubject("Grüße mit Anhang", "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
        file.setFileName("random.bin");
        Multipart multipart = new MimeMultipart(body, file);
        message.setContent(multipart);

        Transport.send(message); // saves changes, which sets a new Message-ID
        String messageId = message.getMessageID();

        SpooledMessage spooled = server.onlyMessage();
        assertThat(spooled.envelope().sender()).isEqualTo(Address.parse("sender@example.test"));
        assertThat(spooled.envelope().recipients()).containsExactly(Address.parse("one@example.test"),
                Address.parse("two@example.test"));
        assertThat(spooled.envelope().heloName()).isEqualTo("jakarta.test");
        try (InputStream content = server.spool.openContent(spooled.id())) {
            MimeMessage stored = new MimeMessage(session, content);
            assertThat(stored.getHeader("Received")).hasSize(1);
            assertThat(stored.getHeader("Received")[0]).contains("from jakarta.test ([127.0.0.1])")
                    .contains("id " + spooled.id());
            assertThat(stored.getMessageID()).isEqualTo(messageId);
            assertThat(stored.getHeader("Date")).hasSize(1);
            assertThat(stored.getSubject()).isEqualTo("Grüße mit Anhang");
            Multipart parts = (Multipart) stored.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n"))
                    .isEqualTo(text.replace("\r\n", "\n"));
            Part storedFile = parts.getBodyPart(1);
            assertThat(storedFile.getFileName()).isEqualTo("random.bin");
            assertThat(storedFile.getInputStream().readAllBytes()).isEqualTo(attachment);
        }
    }

    @Test
    void swaksGetsItsMessageQueued() throws Exception {
        Path swaks = RealPeers.requireTool("/usr/bin/swaks");
        Result result = run(List.of(swaks.toString(), "--server", "127.0.0.1:" + server.port(),
                "--helo", "test.local", "--from", "a@example.test", "--to", "b@example.test",
                "--header", "Subject: from swaks", "--timeout", "10"));
        SpooledMessage spooled = server.onlyMessage();
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("250 2.0.0 Ok: queued as " + spooled.id());
        assertThat(spooled.envelope().recipients()).containsExactly(Address.parse("b@example.test"));
        assertThat(server.spool.contentAsString(spooled.id()))
                .startsWith("Received: from test.local ([127.0.0.1])")
                .contains("Subject: from swaks");
    }

    @Test
    void postfixSmtpSourceDeliversFiftyMessagesOverFiveSessions() throws Exception {
        Path smtpSource = RealPeers.requireTool("/usr/sbin/smtp-source");
        Result result = run(List.of(smtpSource.toString(), "-c", "-m", "50", "-s", "5", "-l", "2000",
                "-f", "a@example.test", "-t", "b@example.test", "-M", "herald.test", "127.0.0.1:" + server.port()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(server.spool.messages()).hasSize(50).allSatisfy(message -> {
            assertThat(message.envelope().heloName()).isEqualTo("herald.test");
            assertThat(message.envelope().recipients()).containsExactly(Address.parse("b@example.test"));
            assertThat(message.size()).isGreaterThan(2000);
        });
        assertThat(server.accepted).hasSize(50);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
