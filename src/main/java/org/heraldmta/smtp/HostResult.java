package org.heraldmta.smtp;

import java.util.List;
import java.util.Optional;
import org.heraldmta.mail.SmtpReply;

/** How talking to one server address ended: it took the transaction, or it could not be used. */
sealed interface HostResult {

    /** The server answered for the recipients (delivered, deferred or bounced, each on its own). */
    record Took(List<RecipientOutcome> outcomes) implements HostResult {
        public Took {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * The server could not be used; the next one is tried.
     *
     * @param retryWithoutTls the opportunistic TLS handshake failed: the same address may be tried in plain text
     */
    record Failed(Target target, Step step, Optional<SmtpReply> reply, String detail, boolean retryWithoutTls)
            implements HostResult {

        /** A 5xx to the greeting, EHLO/HELO or MAIL: the server will not take mail from us at all. */
        boolean refusesSender() {
            return reply.isPresent() && reply.get().isPermanentFailure()
                    && (step == Step.GREETING || step == Step.EHLO || step == Step.MAIL);
        }
    }
}
