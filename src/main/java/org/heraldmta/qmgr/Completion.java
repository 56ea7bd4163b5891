package org.heraldmta.qmgr;

/** How a delivery left its work item: nothing pending any more for its domain, or pending until a time. */
sealed interface Completion {

    record Done() implements Completion {
    }

    /** Recipients remain; the next attempt is due at {@code dueMillis} (now or earlier: at once). */
    record Pending(long dueMillis, String lastReply) implements Completion {
    }
}
