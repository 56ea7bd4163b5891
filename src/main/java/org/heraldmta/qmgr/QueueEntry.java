package org.heraldmta.qmgr;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.RecipientStatus;

/**
 * One line of the queue for people and the admin API: the recipients of one message in one domain (what one
 * delivery takes), their state, and why they are not moving.
 *
 * @param recipients  the message's recipients in this domain, with their stored states
 * @param nextAttempt when the next attempt is due (empty: as soon as shaping allows, in flight, or held)
 * @param reason      why it is not moving now; empty while a delivery is in flight
 */
public record QueueEntry(QueueId id, Address sender, Domain domain, List<RecipientStatus> recipients, State state,
                         Optional<Instant> nextAttempt, Optional<WaitReason> reason, Instant received, long size) {

    /** queued: waiting for its turn; active: being delivered; deferred: waiting after a failure; held. */
    public enum State {
        QUEUED, ACTIVE, DEFERRED, HELD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public QueueEntry {
        recipients = List.copyOf(recipients);
    }
}
