package org.heraldmta.bounce;

import java.time.Instant;
import java.util.Optional;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.EnhancedStatus;
import org.heraldmta.mail.SmtpReply;

/**
 * One recipient to report in a delivery status notification.
 *
 * @param recipient   the envelope recipient (Final-Recipient)
 * @param action      failed or delayed
 * @param status      the RFC 3463 status (Status:); for a failure without an enhanced code, derive one from the
 *                    reply code with {@link #statusOf}
 * @param remoteHost  the host that answered (Remote-MTA), or "" when no server was reached
 * @param reply       the server's reply (Diagnostic-Code: smtp; ...), if there was one
 * @param detail      what went wrong, readable; used as the diagnostic when there is no reply
 * @param step        the delivery step at which it failed ("rcpt", "connect"...), or ""
 * @param lastAttempt when the last attempt was made (Last-Attempt-Date), if any was made
 */
public record FailedRecipient(Address recipient, DsnAction action, EnhancedStatus status, String remoteHost,
                              Optional<SmtpReply> reply, String detail, String step, Optional<Instant> lastAttempt) {

    public FailedRecipient {
        if (recipient == null || recipient.isNullSender() || action == null || status == null) {
            throw new IllegalArgumentException("recipient, action and status are required");
        }
        remoteHost = remoteHost == null ? "" : remoteHost;
        reply = reply == null ? Optional.empty() : reply;
        detail = detail == null ? "" : detail;
        step = step == null ? "" : step;
        lastAttempt = lastAttempt == null ? Optional.empty() : lastAttempt;
    }

    /**
     * The status to report for a reply: its enhanced status when it has one, else the class of its code with
     * "undefined" detail (5.0.0 / 4.0.0), else {@code fallback}.
     */
    public static EnhancedStatus statusOf(Optional<SmtpReply> reply, EnhancedStatus fallback) {
        if (reply.isEmpty()) {
            return fallback;
        }
        SmtpReply r = reply.get();
        if (r.enhanced().isPresent()) {
            return r.enhanced().get();
        }
        if (r.isPermanentFailure()) {
            return new EnhancedStatus(5, 0, 0);
        }
        if (r.isTransientFailure()) {
            return new EnhancedStatus(4, 0, 0);
        }
        return fallback;
    }

    /** The diagnostic in one line: the reply as received, or the local description. */
    public String diagnostic() {
        return reply.map(SmtpReply::toString).orElse(detail);
    }
}
