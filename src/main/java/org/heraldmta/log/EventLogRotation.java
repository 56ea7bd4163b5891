package org.heraldmta.log;

import java.time.Duration;

/**
 * When {@code events.jsonl} is moved aside for a fresh one: once the next line would take it past
 * {@code maxBytes}, or once its first line is {@code maxAge} old; {@code keep} moved-aside files are kept, the
 * oldest beyond that deleted.
 */
public record EventLogRotation(long maxBytes, Duration maxAge, int keep) {

    /** One file that grows for ever. */
    public static final EventLogRotation NEVER = new EventLogRotation(Long.MAX_VALUE,
            Duration.ofSeconds(Long.MAX_VALUE), Integer.MAX_VALUE);

    public EventLogRotation {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be longer than 0, got " + maxAge);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
    }
}
