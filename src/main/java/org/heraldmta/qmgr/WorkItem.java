package org.heraldmta.qmgr;

import org.heraldmta.mail.Domain;

/**
 * The pending recipients of one message in one domain: what one delivery takes. Sits in exactly one place: its
 * destination's ready queue (READY), the timer set (WAITING), a delivery thread (ACTIVE) or nowhere (HELD).
 * Guarded by the queue manager's lock, apart from the volatile flags a delivery reads.
 */
final class WorkItem implements Timed {

    enum State { READY, WAITING, ACTIVE, HELD }

    final MessageEntry message;
    final Domain domain;
    /** Its destination's queue: changes when the item becomes ready under new rules or MX answers. */
    DestinationQueue destination;
    State state;
    /** When WAITING: the due time; must not change while the item is in the timer set. */
    long dueMillis;
    long timerSeq;
    /** The last reply of its recipients (shared with the spool's record, so it costs a reference). */
    String lastReply;
    /** The attempt number given to the delivery in progress. */
    int attempt;
    /** An operator asked to bounce while this item's delivery was in flight. */
    volatile boolean bounceRequested;

    WorkItem(MessageEntry message, Domain domain, DestinationQueue destination, String lastReply) {
        this.message = message;
        this.domain = domain;
        this.destination = destination;
        this.lastReply = lastReply;
    }

    /** The state people see (snapshot, status counts): waiting after a reply is deferred, else queued. */
    QueueEntry.State shown() {
        return switch (state) {
            case ACTIVE -> QueueEntry.State.ACTIVE;
            case HELD -> QueueEntry.State.HELD;
            case READY -> QueueEntry.State.QUEUED;
            case WAITING -> lastReply == null || lastReply.isBlank() ? QueueEntry.State.QUEUED
                    : QueueEntry.State.DEFERRED;
        };
    }

    @Override
    public long dueMillis() {
        return dueMillis;
    }

    @Override
    public long timerSeq() {
        return timerSeq;
    }
}
