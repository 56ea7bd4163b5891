package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Why queued work is not moving right now, and until when: no message waits silently. {@link #text()} is the
 * sentence shown by {@code herald queue show} and the admin API.
 */
public sealed interface WaitReason {

    /** The sentence, with times in {@code zone}. */
    String text(ZoneId zone);

    /** The sentence with times in UTC. */
    default String text() {
        return text(ZoneOffset.UTC);
    }

    /** When the wait ends by itself, if that is known. */
    Optional<Instant> until();

    private static String time(Instant instant, ZoneId zone) {
        return DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone).format(instant);
    }

    /** Waiting for its next attempt, after a temporary failure ({@code lastReply}) or because of a not-before time. */
    record RetryAt(Instant at, String lastReply) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return lastReply == null || lastReply.isBlank()
                    ? "next attempt at " + time(at, zone)
                    : "retry at " + time(at, zone) + " after " + lastReply;
        }

        @Override
        public Optional<Instant> until() {
            return Optional.of(at);
        }
    }

    /** Ready, but every connection the destination may have is busy. */
    record ConnectionsInUse(String destination, int inUse, int limit) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "destination " + destination + ": " + inUse + " of " + limit + " connections in use";
        }

        @Override
        public Optional<Instant> until() {
            return Optional.empty();
        }
    }

    /** The destination had {@code max_continuous} messages back to back and pauses ({@code delay_for_continuing}). */
    record BurstPause(String destination, Instant pausedUntil) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "burst pause until " + time(pausedUntil, zone) + " (destination " + destination + ")";
        }

        @Override
        public Optional<Instant> until() {
            return Optional.of(pausedUntil);
        }
    }

    /** The destination's burst is complete; its pause starts when the burst's last deliveries finish. */
    record BurstEnding(String destination, int stillSending, Duration pause) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "destination " + destination + ": burst complete, pause of " + pause.toString().substring(2)
                    .toLowerCase(Locale.ROOT) + " after " + stillSending + " deliveries finish";
        }

        @Override
        public Optional<Instant> until() {
            return Optional.empty();
        }
    }

    /** The destination's {@code max_message_rate} spaces messages evenly: the next may start at {@code nextAt}. */
    record RateLimited(String destination, Instant nextAt, String rate) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "rate limit: next message at " + time(nextAt, zone) + " (destination " + destination + ", "
                    + rate + ")";
        }

        @Override
        public Optional<Instant> until() {
            return Optional.of(nextAt);
        }
    }

    /** A reply matched {@code throttle_replies}: the whole destination pauses for {@code throttle_pause}. */
    record ThrottlePause(String destination, Instant pausedUntil, String reply) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "paused by throttle reply until " + time(pausedUntil, zone) + " (destination " + destination
                    + ": " + reply + ")";
        }

        @Override
        public Optional<Instant> until() {
            return Optional.of(pausedUntil);
        }
    }

    /** MX rules exist: the domain's MX hosts are being looked up to know which destination it belongs to. */
    record AwaitingMxHosts(String domain) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "looking up the MX hosts of " + domain + " to choose its MX rule";
        }

        @Override
        public Optional<Instant> until() {
            return Optional.empty();
        }
    }

    /** An operator held the message; it waits until released. */
    record HeldByOperator() implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "held by operator";
        }

        @Override
        public Optional<Instant> until() {
            return Optional.empty();
        }
    }

    /** Nothing stops it: it goes out at the dispatcher's next turn. */
    record ReadyToSend(String destination) implements WaitReason {
        @Override
        public String text(ZoneId zone) {
            return "ready: next in line for destination " + destination;
        }

        @Override
        public Optional<Instant> until() {
            return Optional.empty();
        }
    }
}
