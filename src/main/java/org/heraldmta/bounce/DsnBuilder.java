package org.heraldmta.bounce;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import org.heraldmta.mail.Address;

/**
 * Builds RFC 3464 delivery status notifications: a {@code multipart/report; report-type=delivery-status} message
 * with a readable text part, a {@code message/delivery-status} part and the original header section as
 * {@code text/rfc822-headers}, from {@code MAILER-DAEMON@hostname} to the original sender.
 *
 * <p>Pure: it only builds bytes, it never sends or stores anything. Thread safe.
 */
public final class DsnBuilder {

    public static final String SUBJECT = "Undelivered Mail Returned to Sender";
    public static final String DELAYED_SUBJECT = "Delayed Mail (still being retried)";

    /** RFC 5322 date-time, always in UTC so that the same input gives the same bytes. */
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String hostname;
    private final InstantSource clock;
    // A Session without properties never opens a connection; it is only needed to make MimeMessages.
    private final Session session = Session.getInstance(sessionProperties());

    /**
     * @param hostname this server's name: Reporting-MTA, the MAILER-DAEMON address and the Message-ID's right side
     * @param clock    for the Date header
     */
    public DsnBuilder(String hostname, InstantSource clock) {
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("a hostname is required for the Reporting-MTA");
        }
        this.hostname = hostname;
        this.clock = clock;
    }

    private static Properties sessionProperties() {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.allowutf8", "true");
        return properties;
    }

    /** The sender of every notification: {@code MAILER-DAEMON@hostname}. */
    public String mailerDaemon() {
        return "MAILER-DAEMON@" + hostname;
    }

    /**
     * Builds the notification as it should be stored and delivered (CRLF line ends).
     *
     * @param messageIdLocalPart left side of the Message-ID (for example the notification's own queue id), so that
     *                           the same notification always gets the same id
     */
    public byte[] build(DeliveryStatusNotification dsn, String messageIdLocalPart) {
        try {
            Instant now = clock.instant();
            MimeMessage message = new FixedIdMessage(session, "<" + messageIdLocalPart + "@" + hostname + ">");
            message.setFrom(new InternetAddress(mailerDaemon(), "Mail Delivery System", "UTF-8"));
            // Set as text, not parsed: an SMTPUTF8 sender is written as is (mail.mime.allowutf8).
            message.setHeader("To", dsn.originalEnvelope().sender().toString());
            message.setSubject(allDelayed(dsn) ? DELAYED_SUBJECT : SUBJECT, "UTF-8");
            message.setHeader("Date", RFC_5322.format(now));
            message.setHeader("Auto-Submitted", "auto-replied");

            MimeMultipart report = new MimeMultipart("report; report-type=delivery-status");
            report.addBodyPart(readablePart(dsn));
            report.addBodyPart(rawPart(deliveryStatus(dsn).getBytes(StandardCharsets.UTF_8),
                    "message/delivery-status"));
            report.addBodyPart(rawPart(dsn.originalHeaders(), "text/rfc822-headers"));
            message.setContent(report);
            message.saveChanges();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IllegalStateException("could not build a delivery status notification", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean allDelayed(DeliveryStatusNotification dsn) {
        return dsn.recipients().stream().allMatch(r -> r.action() == DsnAction.DELAYED);
    }

    private MimeBodyPart readablePart(DeliveryStatusNotification dsn) throws MessagingException {
        StringBuilder text = new StringBuilder();
        text.append("This is the mail system at host ").append(hostname).append(".\r\n\r\n");
        if (allDelayed(dsn)) {
            text.append("Your message could not be delivered yet to the recipients below.\r\n")
                    .append("It will be tried again; you do not need to send it again.\r\n\r\n");
        } else {
            text.append("I'm sorry to have to inform you that your message could not\r\n")
                    .append("be delivered to one or more recipients.\r\n\r\n");
        }
        text.append("Queue id: ").append(dsn.originalId()).append("\r\n")
                .append("Sent at: ").append(RFC_5322.format(dsn.originalEnvelope().received())).append("\r\n\r\n");
        for (FailedRecipient r : dsn.recipients()) {
            text.append("<").append(r.recipient()).append(">: ");
            if (!r.remoteHost().isEmpty()) {
                text.append("host ").append(r.remoteHost()).append(" said");
            } else {
                text.append("delivery failed");
            }
            if (!r.step().isEmpty()) {
                text.append(" at step ").append(r.step());
            }
            text.append(":\r\n    ").append(r.detail().isBlank() ? r.diagnostic() : r.detail())
                    .append("\r\n\r\n");
        }
        text.append("The headers of your message are attached.\r\n");
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text.toString(), "UTF-8");
        part.setDescription("Notification");
        return part;
    }

    /** The RFC 3464 §2.2 per-message fields, then the §2.3 per-recipient fields of each recipient. */
    private String deliveryStatus(DeliveryStatusNotification dsn) {
        StringBuilder out = new StringBuilder();
        out.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        out.append("X-Herald-Queue-ID: ").append(dsn.originalId()).append("\r\n");
        out.append("Arrival-Date: ").append(RFC_5322.format(dsn.originalEnvelope().received())).append("\r\n");
        for (FailedRecipient r : dsn.recipients()) {
            out.append("\r\n");
            out.append("Final-Recipient: ").append(addressType(r.recipient())).append("; ")
                    .append(r.recipient()).append("\r\n");
            out.append("Action: ").append(r.action().label()).append("\r\n");
            out.append("Status: ").append(r.status()).append("\r\n");
            if (!r.remoteHost().isEmpty()) {
                out.append("Remote-MTA: dns; ").append(r.remoteHost()).append("\r\n");
            }
            if (r.reply().isPresent()) {
                out.append("Diagnostic-Code: smtp; ").append(r.reply().get()).append("\r\n");
            } else if (!r.detail().isEmpty()) {
                out.append("Diagnostic-Code: X-Herald; ").append(r.detail()).append("\r\n");
            }
            r.lastAttempt().ifPresent(t -> out.append("Last-Attempt-Date: ").append(RFC_5322.format(t))
                    .append("\r\n"));
        }
        return out.toString();
    }

    /** RFC 6533: an address that needs SMTPUTF8 is reported with the utf-8 address type. */
    private static String addressType(Address address) {
        return address.needsSmtpUtf8() ? "utf-8" : "rfc822";
    }

    private static MimeBodyPart rawPart(byte[] content, String type) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        // A raw data source bypasses Jakarta's content handlers, so the bytes go out exactly as built.
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, type)));
        part.setHeader("Content-Type", type);
        part.setHeader("Content-Transfer-Encoding", isAscii(content) ? "7bit" : "8bit");
        return part;
    }

    private static boolean isAscii(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Keeps the Message-ID given instead of the random one Jakarta Mail makes in saveChanges(). */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
