package org.heraldmta.submission;

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
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.heraldmta.mail.QueueId;

/**
 * Builds the RFC 5322 message for a {@link JsonMessage} with Jakarta Mail: text and html as
 * multipart/alternative, attachments in multipart/mixed, Message-ID {@code <QUEUEID@hostname>} and Date from the
 * injected clock. Bcc is never written into the message.
 */
public final class MimeComposer {

    private final String hostname;
    private final InstantSource clock;
    private final Session session = Session.getInstance(new Properties());

    public MimeComposer(String hostname, InstantSource clock) {
        this.hostname = hostname;
        this.clock = clock;
    }

    public byte[] compose(JsonMessage message, QueueId id) throws InvalidFieldException {
        try {
            MimeMessage mime = new FixedIdMessage(session, "<" + id + "@" + hostname + ">");
            mime.setFrom(address("from", message.from()));
            setRecipients(mime, jakarta.mail.Message.RecipientType.TO, "to", message.to());
            setRecipients(mime, jakarta.mail.Message.RecipientType.CC, "cc", message.cc());
            if (message.replyTo().isPresent()) {
                mime.setReplyTo(new InternetAddress[] {address("reply_to", message.replyTo().get())});
            }
            mime.setSubject(message.subject(), "UTF-8");
            mime.setSentDate(Date.from(clock.instant()));
            for (Map.Entry<String, String> header : message.headers().entrySet()) {
                mime.addHeader(header.getKey(), header.getValue());
            }
            mime.setContent(body(message));
            if (message.attachments().isEmpty() && !(message.text().isPresent() && message.html().isPresent())) {
                // a single part: put it at the top level rather than in a one-part multipart
                MimeBodyPart only = (MimeBodyPart) ((MimeMultipart) mime.getContent()).getBodyPart(0);
                mime.setContent(only.getContent(), only.getContentType());
            }
            mime.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            mime.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new InvalidFieldException("body", "cannot build the message: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MimeMultipart body(JsonMessage message) throws MessagingException {
        MimeMultipart alternative = new MimeMultipart("alternative");
        if (message.text().isPresent()) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.text().get(), "UTF-8");
            alternative.addBodyPart(text);
        }
        if (message.html().isPresent()) {
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.html().get(), "UTF-8", "html");
            alternative.addBodyPart(html);
        }
        if (message.attachments().isEmpty()) {
            return alternative;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart content = new MimeBodyPart();
        if (alternative.getCount() == 1) {
            MimeBodyPart only = (MimeBodyPart) alternative.getBodyPart(0);
            try {
                content.setContent(only.getContent(), only.getContentType());
            } catch (IOException e) {
                throw new MessagingException("body", e);
            }
        } else {
            content.setContent(alternative);
        }
        mixed.addBodyPart(content);
        for (JsonMessage.Attachment attachment : message.attachments()) {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.type())));
            part.setFileName(attachment.name());
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            mixed.addBodyPart(part);
        }
        return mixed;
    }

    private static void setRecipients(MimeMessage mime, jakarta.mail.Message.RecipientType type, String field,
                                      List<String> addresses) throws MessagingException, InvalidFieldException {
        if (addresses.isEmpty()) {
            return;
        }
        InternetAddress[] parsed = new InternetAddress[addresses.size()];
        for (int i = 0; i < parsed.length; i++) {
            parsed[i] = address(field + "[" + i + "]", addresses.get(i));
        }
        mime.setRecipients(type, parsed);
    }

    private static InternetAddress address(String field, String written) throws InvalidFieldException {
        try {
            InternetAddress address = new InternetAddress(written, true);
            if (address.getPersonal() != null) {
                address.setPersonal(address.getPersonal(), StandardCharsets.UTF_8.name());
            }
            return address;
        } catch (jakarta.mail.internet.AddressException | java.io.UnsupportedEncodingException e) {
            throw new InvalidFieldException(field, "\"" + written + "\" is not an address: " + e.getMessage());
        }
    }

    /** Jakarta Mail would make its own Message-ID from the JDK's idea of the local host; Herald's is the queue id. */
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
