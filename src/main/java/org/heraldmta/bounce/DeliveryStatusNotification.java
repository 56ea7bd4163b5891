package org.heraldmta.bounce;

import java.util.List;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;

/**
 * What a delivery status notification reports: which message (its queue id and envelope), its original header
 * section (returned as text/rfc822-headers), and the recipients it failed for.
 *
 * @param originalHeaders the header section of the original message, CRLF line ends, without the empty line that
 *                        ends it ({@link OriginalHeaders#read} extracts it)
 */
public record DeliveryStatusNotification(QueueId originalId, Envelope originalEnvelope, byte[] originalHeaders,
                                         List<FailedRecipient> recipients) {

    public DeliveryStatusNotification {
        if (originalId == null || originalEnvelope == null) {
            throw new IllegalArgumentException("the original message's id and envelope are required");
        }
        if (originalEnvelope.sender().isNullSender()) {
            throw new IllegalArgumentException("a message from the null sender never bounces (RFC 5321 §4.5.5)");
        }
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a notification needs at least one recipient to report");
        }
        originalHeaders = originalHeaders == null ? new byte[0] : originalHeaders.clone();
    }

    @Override
    public byte[] originalHeaders() {
        return originalHeaders.clone();
    }
}
