package org.heraldmta.mail;

import java.time.Instant;
import java.util.List;

/**
 * What a client told Herald about a message besides its content: who sent it, to whom, and how it arrived.
 *
 * @param sender      the reverse path; {@link Address#NULL_SENDER} for bounces
 * @param recipients  one or more forward paths, in the order given
 * @param received    when the message was accepted
 * @param clientIp    the client's address as text (an IP literal, never resolved; for the HTTP API too), or
 *                    "local" for sendmail
 * @param heloName    the name the client gave in EHLO/HELO, or a description of the submission path
 * @param smtpUtf8    the client asked for SMTPUTF8
 * @param eightBitMime the client declared BODY=8BITMIME
 */
public record Envelope(Address sender, List<Address> recipients, Instant received, String clientIp, String heloName,
                       boolean smtpUtf8, boolean eightBitMime) {

    public Envelope {
        if (sender == null) {
            throw new IllegalArgumentException("missing sender (use Address.NULL_SENDER for <>)");
        }
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
        recipients = List.copyOf(recipients);
        if (received == null) {
            throw new IllegalArgumentException("missing received time");
        }
        clientIp = clientIp == null ? "" : clientIp;
        heloName = heloName == null ? "" : heloName;
    }
}
