package org.heraldmta.smtp;

import java.util.List;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;

/**
 * One attempt to ask for: a message, the recipients of one domain that are due, and the route to take.
 *
 * @param attempt      the attempt's number for this message (1-based), for the transcript
 * @param content      opens the message content from its first byte
 * @param size         content size in bytes (for SIZE=)
 * @param needsSmtpUtf8 the envelope or headers need SMTPUTF8
 * @param eightBit     the content has 8-bit bytes (BODY=8BITMIME)
 * @param heloName     the name to give in EHLO/HELO
 * @param connection   source address, connection reuse and connection rate of the destination
 */
public record DeliveryRequest(QueueId id, int attempt, Route route, Address sender, List<Address> recipients,
                              MessageContent content, long size, boolean needsSmtpUtf8, boolean eightBit,
                              String heloName, ConnectionOptions connection) {

    /** With the default connection options. */
    public DeliveryRequest(QueueId id, int attempt, Route route, Address sender, List<Address> recipients,
                           MessageContent content, long size, boolean needsSmtpUtf8, boolean eightBit,
                           String heloName) {
        this(id, attempt, route, sender, recipients, content, size, needsSmtpUtf8, eightBit, heloName,
                ConnectionOptions.DEFAULTS);
    }

    public DeliveryRequest {
        java.util.Objects.requireNonNull(connection);
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a delivery needs at least one recipient");
        }
    }
}
