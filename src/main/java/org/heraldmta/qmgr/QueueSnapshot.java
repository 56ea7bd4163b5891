package org.heraldmta.qmgr;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The queue at one moment: one entry per message and recipient domain, oldest message first. */
public record QueueSnapshot(Instant taken, List<QueueEntry> entries) {

    public QueueSnapshot {
        entries = List.copyOf(entries);
    }

    public Map<QueueEntry.State, Long> countByState() {
        Map<QueueEntry.State, Long> counts = new EnumMap<>(QueueEntry.State.class);
        for (QueueEntry.State state : QueueEntry.State.values()) {
            counts.put(state, 0L);
        }
        entries.forEach(e -> counts.merge(e.state(), 1L, Long::sum));
        return counts;
    }
}
