package org.heraldmta.mail;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/**
 * A message's identity in the queue: 16 characters of Crockford base32, the first 9 from the
 * acceptance time in milliseconds (so ids sort by age) and the rest random.
 */
public record QueueId(String value) implements Comparable<QueueId> {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public QueueId {
        if (value == null || !value.matches("[0-9A-HJKMNP-TV-Z]{16}")) {
            throw new IllegalArgumentException("invalid queue id: " + value);
        }
    }

    public static QueueId parse(String text) {
        return new QueueId(text.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** Makes unique, time-ordered ids. Thread safe. */
    public static final class Generator {
        private final InstantSource clock;
        private final RandomGenerator random;

        public Generator(InstantSource clock) {
            this(clock, new SecureRandom());
        }

        public Generator(InstantSource clock, RandomGenerator random) {
            this.clock = clock;
            this.random = random;
        }

        public QueueId next() {
            long millis = clock.millis();
            char[] out = new char[16];
            for (int i = 8; i >= 0; i--) {
                out[i] = ALPHABET.charAt((int) (millis & 31));
                millis >>>= 5;
            }
            long bits;
            synchronized (this) {
                bits = random.nextLong();
            }
            for (int i = 9; i < 16; i++) {
                out[i] = ALPHABET.charAt((int) (bits & 31));
                bits >>>= 5;
            }
            return new QueueId(new String(out));
        }
    }

    /** When the id was made (to the millisecond): its first 9 characters are the acceptance time. */
    public java.time.Instant issuedAt() {
        long millis = 0;
        for (int i = 0; i < 9; i++) {
            millis = (millis << 5) | ALPHABET.indexOf(value.charAt(i));
        }
        return java.time.Instant.ofEpochMilli(millis);
    }

    @Override
    public int compareTo(QueueId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
