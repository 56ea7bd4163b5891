package org.heraldmta.qmgr;

import java.util.Map;

/**
 * The queue's size at one moment, taken without reading the spool: entries (message and recipient domain) by
 * state, and messages.
 */
public record QueueCounts(Map<QueueEntry.State, Long> entries, int messages) {

    public QueueCounts {
        entries = Map.copyOf(entries);
    }

    public long of(QueueEntry.State state) {
        return entries.getOrDefault(state, 0L);
    }
}
