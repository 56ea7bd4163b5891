package org.heraldmta.smtp;

import org.heraldmta.mail.Address;
import org.heraldmta.mail.SmtpReply;

/**
 * What became of one recipient in one attempt. Each carries the step it ended at, the host and IP it was
 * talking to (empty when none was reached), and the reply or a description of the failure.
 */
public sealed interface RecipientOutcome {

    Address recipient();

    Step step();

    /** The host name (MX or relay) of the last server tried, or "". */
    String host();

    /** The IP literal of the last server tried, or "". */
    String ip();

    /** The server's reply, if the outcome came from one. */
    java.util.Optional<SmtpReply> reply();

    /** A readable description: the reply text, or what went wrong locally ("connection refused"). */
    String detail();

    /**
     * The RFC 3463 status of this outcome: the reply's enhanced status, or, for an outcome decided locally (null MX,
     * connection refused, message too big), the status its detail starts with ({@code "5.1.10 ..."}).
     */
    default java.util.Optional<org.heraldmta.mail.EnhancedStatus> status() {
        return reply().flatMap(SmtpReply::enhanced).or(() -> org.heraldmta.mail.EnhancedStatus.find(detail()));
    }

    record Delivered(Address recipient, Step step, String host, String ip, java.util.Optional<SmtpReply> reply,
                     String detail) implements RecipientOutcome {
    }

    /** A temporary failure: try again later. */
    record Deferred(Address recipient, Step step, String host, String ip, java.util.Optional<SmtpReply> reply,
                    String detail) implements RecipientOutcome {
    }

    /**
     * A permanent failure. {@code blamesSender} is true when the reply blames the sending host rather than the
     * recipient (greeting rejection, block list, reputation, policy): the planner then tries relay mode instead
     * of bouncing, while relay attempts remain.
     */
    record Bounced(Address recipient, Step step, String host, String ip, java.util.Optional<SmtpReply> reply,
                   String detail, boolean blamesSender) implements RecipientOutcome {
    }
}
