package org.heraldmta.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Messages per minute for the console's chart: received, delivered, deferred and bounced counted into one slot per
 * minute, for the last 24 hours (a ring of 1,440 slots, so memory stays fixed however long Herald runs). Thread
 * safe.
 */
final class MinuteTimeline {

    static final int MINUTES_KEPT = 24 * 60;
    static final List<String> KINDS = List.of("received", "delivered", "deferred", "bounced");

    private final long startMinute;
    private final long[] minuteOfSlot = new long[MINUTES_KEPT];
    private final long[][] counts = new long[MINUTES_KEPT][KINDS.size()];

    MinuteTimeline(Instant started) {
        this.startMinute = minuteOf(started);
        java.util.Arrays.fill(minuteOfSlot, -1);
    }

    /** One minute's counts. */
    record Minute(Instant minute, Map<String, Long> counts) {
    }

    /** Counts an event at {@code time}; events of other kinds, and too old to keep, are ignored. */
    synchronized void record(String event, Instant time) {
        int kind = KINDS.indexOf(event);
        if (kind < 0) {
            return;
        }
        long minute = minuteOf(time);
        int slot = slot(minute);
        if (minuteOfSlot[slot] != minute) {
            if (minuteOfSlot[slot] > minute) {
                return; // older than the ring
            }
            minuteOfSlot[slot] = minute;
            java.util.Arrays.fill(counts[slot], 0);
        }
        counts[slot][kind]++;
    }

    /** The last {@code minutes} minutes up to {@code now}, oldest first, none before the start or the ring. */
    synchronized List<Minute> last(int minutes, Instant now) {
        long end = minuteOf(now);
        long first = Math.max(Math.max(end - minutes + 1, startMinute), end - MINUTES_KEPT + 1);
        List<Minute> out = new ArrayList<>();
        for (long minute = first; minute <= end; minute++) {
            int slot = slot(minute);
            Map<String, Long> row = new java.util.LinkedHashMap<>();
            for (int k = 0; k < KINDS.size(); k++) {
                row.put(KINDS.get(k), minuteOfSlot[slot] == minute ? counts[slot][k] : 0L);
            }
            out.add(new Minute(Instant.ofEpochSecond(minute * 60), row));
        }
        return out;
    }

    private static long minuteOf(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), 60);
    }

    private static int slot(long minute) {
        return (int) Math.floorMod(minute, (long) MINUTES_KEPT);
    }
}
