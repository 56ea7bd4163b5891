package org.heraldmta.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.EnhancedStatus;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.mail.SmtpReply;
import org.junit.jupiter.api.Test;

class DsnBuilderTest {

    private static final Instant ARRIVED = Instant.parse("2030-01-01T11:58:30Z");
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:05Z");
    private static final QueueId ORIGINAL = new QueueId("0123456789ABCDEF");
    private static final String HEADERS = "From: Alice <alice@sender.test>\r\n"
            + "To: a@example.test, b@example.test\r\n"
            + "Subject: quarterly report\r\n"
            + "Message-ID: <report-42@sender.test>\r\n";

    private final DsnBuilder builder = new DsnBuilder("herald.example.test", InstantSource.fixed(NOW));

    private static DeliveryStatusNotification notification() {
        Envelope envelope = new Envelope(Address.parse("alice@sender.test"),
                List.of(Address.parse("a@example.test"), Address.parse("b@example.test")), ARRIVED, "127.0.0.1",
                "client.sender.test", false, false);
        FailedRecipient rejected = new FailedRecipient(Address.parse("b@example.test"), DsnAction.FAILED,
                EnhancedStatus.parse("5.1.1"), "mx.example.test",
                Optional.of(SmtpReply.of(550, "5.1.1", "no such user")), "550 5.1.1 no such user", "rcpt",
                Optional.of(NOW));
        FailedRecipient unreachable = new FailedRecipient(Address.parse("c@example.test"), DsnAction.FAILED,
                EnhancedStatus.parse("4.4.1"), "", Optional.empty(), "connection refused", "connect",
                Optional.empty());
        return new DeliveryStatusNotification(ORIGINAL, envelope, HEADERS.getBytes(StandardCharsets.US_ASCII),
                List.of(rejected, unreachable));
    }

    @Test
    void theNotificationMatchesTheGoldenFileApartFromTheBoundary() throws IOException {
        String built = new String(builder.build(notification(), "DSN0000000000001"), StandardCharsets.UTF_8);

        String normalised = normalise(built);
        Path golden = Path.of(System.getProperty("herald.project.dir", "."),
                "src/test/resources/org/heraldmta/bounce/dsn-two-recipients.eml");
        if (Boolean.getBoolean("herald.updateGolden")) {
            Files.writeString(golden, normalised, StandardCharsets.UTF_8);
        }
        assertThat(normalised).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    /** The MIME boundary is random; everything else (dates come from the clock) must stay byte for byte. */
    private static String normalise(String message) {
        Matcher m = Pattern.compile("boundary=\"([^\"]+)\"").matcher(message);
        assertThat(m.find()).as("a boundary parameter").isTrue();
        return message.replace(m.group(1), "BOUNDARY");
    }

    @Test
    void theNotificationParsesBackAsAMultipartReportWithItsThreeParts() throws Exception {
        byte[] built = builder.build(notification(), "DSN0000000000001");

        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(built));

        assertThat(parsed.getHeader("From", null)).contains("MAILER-DAEMON@herald.example.test");
        assertThat(parsed.getHeader("To", null)).isEqualTo("alice@sender.test");
        assertThat(parsed.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(parsed.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(parsed.getMessageID()).isEqualTo("<DSN0000000000001@herald.example.test>");
        assertThat(parsed.getSentDate().toInstant()).isEqualTo(NOW);
        assertThat(parsed.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");

        MimeMultipart report = (MimeMultipart) parsed.getContent();
        assertThat(report.getCount()).isEqualTo(3);
        BodyPart readable = report.getBodyPart(0);
        assertThat(readable.isMimeType("text/plain")).isTrue();
        assertThat((String) readable.getContent()).contains("<b@example.test>: host mx.example.test said at step "
                + "rcpt:", "550 5.1.1 no such user", "<c@example.test>: delivery failed at step connect:",
                "connection refused");

        BodyPart status = report.getBodyPart(1);
        assertThat(status.isMimeType("message/delivery-status")).isTrue();
        String fields = read(status);
        assertThat(fields).contains("Reporting-MTA: dns; herald.example.test\r\n",
                "Arrival-Date: Tue, 1 Jan 2030 11:58:30 +0000\r\n",
                "\r\n\r\nFinal-Recipient: rfc822; b@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                        + "Remote-MTA: dns; mx.example.test\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
                        + "Last-Attempt-Date: Tue, 1 Jan 2030 12:00:05 +0000\r\n",
                "\r\n\r\nFinal-Recipient: rfc822; c@example.test\r\nAction: failed\r\nStatus: 4.4.1\r\n"
                        + "Diagnostic-Code: X-Herald; connection refused\r\n");

        BodyPart headers = report.getBodyPart(2);
        assertThat(headers.isMimeType("text/rfc822-headers")).isTrue();
        assertThat(read(headers)).isEqualTo(HEADERS);
    }

    private static String read(BodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void onlyDelayedRecipientsMakeAWarningNotABounce() throws Exception {
        DeliveryStatusNotification base = notification();
        FailedRecipient delayed = new FailedRecipient(Address.parse("b@example.test"), DsnAction.DELAYED,
                EnhancedStatus.parse("4.7.1"), "mx.example.test",
                Optional.of(SmtpReply.of(451, "4.7.1", "greylisted")), "", "rcpt", Optional.of(NOW));
        DeliveryStatusNotification warning = new DeliveryStatusNotification(base.originalId(),
                base.originalEnvelope(), base.originalHeaders(), List.of(delayed));

        String built = new String(builder.build(warning, "W1"), StandardCharsets.UTF_8);

        assertThat(built).contains("Subject: " + DsnBuilder.DELAYED_SUBJECT, "Action: delayed", "Status: 4.7.1",
                "will be tried again");
    }

    @Test
    void aMessageFromTheNullSenderCannotGetANotification() {
        Envelope fromNull = new Envelope(Address.NULL_SENDER, List.of(Address.parse("a@example.test")), ARRIVED, "",
                "", false, false);
        FailedRecipient failed = notification().recipients().get(0);

        assertThatThrownBy(() -> new DeliveryStatusNotification(ORIGINAL, fromNull, new byte[0], List.of(failed)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null sender");
    }

    @Test
    void theOriginalHeaderSectionEndsAtTheFirstEmptyLineAndBareLineFeedsBecomeCrlf() throws IOException {
        byte[] content = "Subject: hi\nX-Folded: a\r\n b\r\n\r\nbody line\r\n".getBytes(StandardCharsets.US_ASCII);

        byte[] headers = OriginalHeaders.read(new ByteArrayInputStream(content), 1000);

        assertThat(new String(headers, StandardCharsets.US_ASCII)).isEqualTo("Subject: hi\r\nX-Folded: a\r\n b\r\n");
        assertThat(OriginalHeaders.read(new ByteArrayInputStream(content), 20)).as("cut at a line end")
                .isEqualTo("Subject: hi\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aReplyWithoutEnhancedCodeGetsTheUndefinedStatusOfItsClass() {
        assertThat(FailedRecipient.statusOf(Optional.of(SmtpReply.of(554, "go away")), EnhancedStatus.parse("5.4.4")))
                .isEqualTo(EnhancedStatus.parse("5.0.0"));
        assertThat(FailedRecipient.statusOf(Optional.of(SmtpReply.of(421, "busy")), EnhancedStatus.parse("5.4.4")))
                .isEqualTo(EnhancedStatus.parse("4.0.0"));
        assertThat(FailedRecipient.statusOf(Optional.empty(), EnhancedStatus.parse("4.4.7")))
                .isEqualTo(EnhancedStatus.parse("4.4.7"));
    }
}
