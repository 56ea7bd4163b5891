package org.heraldmta.qmgr;

import java.util.ArrayList;
import java.util.List;
import org.heraldmta.mail.QueueId;

/**
 * A queued message as the scheduler keeps it: its id, held flag and one work item per recipient domain that still
 * has pending recipients. Envelope and recipient states stay in the spool, so this stays small. Guarded by the
 * queue manager's lock.
 */
final class MessageEntry {
    final QueueId id;
    final List<WorkItem> items = new ArrayList<>(1);
    boolean held;
    boolean deleted;
    /** Attempts started for this message, across its domains: the next attempt's number is this plus one. */
    int attemptsStarted;

    MessageEntry(QueueId id, boolean held, int attemptsStarted) {
        this.id = id;
        this.held = held;
        this.attemptsStarted = attemptsStarted;
    }
}
