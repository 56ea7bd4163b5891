package org.heraldmta.spool;

import java.util.List;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;

/**
 * A committed message as the spool knows it: identity, envelope, size and the state of every recipient, in the
 * envelope's order.
 */
public record SpooledMessage(QueueId id, Envelope envelope, long size, List<RecipientStatus> recipients,
                             boolean held) {

    public SpooledMessage {
        recipients = List.copyOf(recipients);
        if (recipients.size() != envelope.recipients().size()) {
            throw new IllegalArgumentException("one status per envelope recipient is required");
        }
    }

    public boolean isFinished() {
        return recipients.stream().allMatch(r -> r.state().isFinal());
    }
}
