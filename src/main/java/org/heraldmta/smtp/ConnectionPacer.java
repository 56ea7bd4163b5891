package org.heraldmta.smtp;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.heraldmta.config.Rate;

/**
 * Spaces new connections to one destination evenly under its {@code max_connection_rate}: each new connection
 * takes the next free slot, and its session waits for that slot before it connects. Only new connections count
 * (a reused one costs the receiver nothing). Time is monotonic (nanoseconds), since it paces real sockets.
 * Thread safe; a few bytes per destination.
 */
final class ConnectionPacer {

    private final LongSupplier nanoTime;
    private final Map<String, Long> nextSlot = new HashMap<>();

    ConnectionPacer(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Takes the destination's next slot; returns how long to wait for it (zero: connect now). */
    synchronized Duration reserve(String destination, Rate rate) {
        long now = nanoTime.getAsLong();
        long slot = Math.max(now, nextSlot.getOrDefault(destination, now));
        nextSlot.put(destination, slot + rate.intervalNanos());
        if (nextSlot.size() > 100_000) {
            // Slots long past say nothing; keep the map from growing without end.
            nextSlot.values().removeIf(next -> next < now);
        }
        return Duration.ofNanos(slot - now);
    }
}
