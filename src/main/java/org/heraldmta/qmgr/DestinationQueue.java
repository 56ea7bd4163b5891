package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.config.Rate;

/**
 * One destination's ready queue and shaping counters: connections in flight against {@code max_connections}, the
 * current burst against {@code max_continuous}, the pause of {@code delay_for_continuing} between bursts, the even
 * spacing of {@code max_message_rate}, and a pause after a reply that matched {@code throttle_replies}.
 * A burst ends when its last delivery finishes; the pause starts then, so bursts are separated by at least the
 * pause. Guarded by the queue manager's lock; every method is O(1).
 *
 * <p>The queue sits in the scheduler's timer set (at {@link #dueMillis()}) while one of its pauses or its rate
 * spacing must end before it can start work.
 */
final class DestinationQueue implements Timed {

    final Destination destination;
    final ArrayDeque<WorkItem> ready = new ArrayDeque<>();
    /** Work items (in any state) that belong to this destination; at zero the queue can be forgotten. */
    int members;
    int inFlight;
    int sentInBurst;
    boolean burstEnding;
    /** End of the burst pause (epoch millis), 0 when none. */
    long pausedUntil;
    /** End of the throttle pause (epoch millis), 0 when none. */
    long throttledUntil;
    String throttleReply = "";
    /** When the next message may start under max_message_rate (epoch nanoseconds), 0 when at once. */
    long nextStartNanos;
    /** When in the timer set: the wake-up time; must not change while there. */
    long wakeMillis;
    boolean inTimers;
    long timerSeq;
    boolean runnable;

    DestinationQueue(Destination destination) {
        this.destination = destination;
    }

    /**
     * The wall clock stepped back by {@code backMillis}: every pause, the rate spacing and the wake-up time keep the
     * length they had left. Only while out of the timer set (the scheduler takes everything out first).
     */
    void clockSteppedBack(long backMillis) {
        if (wakeMillis != 0) {
            wakeMillis -= backMillis;
        }
        if (pausedUntil != 0) {
            pausedUntil = Math.max(1, pausedUntil - backMillis);
        }
        if (throttledUntil != 0) {
            throttledUntil = Math.max(1, throttledUntil - backMillis);
        }
        if (nextStartNanos != 0) {
            nextStartNanos = Math.max(1, nextStartNanos - backMillis * 1_000_000);
        }
    }

    static int connectionLimit(DomainSettings limits) {
        return Math.max(1, limits.maxConnections());
    }

    private static boolean pausesBetweenBursts(DomainSettings limits) {
        return limits.maxContinuous() > 0 && limits.delayForContinuing().isPositive();
    }

    boolean paused() {
        return pausedUntil != 0;
    }

    boolean throttled() {
        return throttledUntil != 0;
    }

    private boolean rateAllows(long nowMillis, DomainSettings limits) {
        return limits.maxMessageRate().isEmpty() || nowMillis * 1_000_000 >= nextStartNanos;
    }

    /** May a delivery start now? */
    boolean mayStart(long nowMillis, DomainSettings limits) {
        return !(destination instanceof Destination.AwaitingMx) && !paused() && !throttled() && !burstEnding
                && inFlight < connectionLimit(limits) && rateAllows(nowMillis, limits);
    }

    /**
     * When this queue, now unable to start ready work, can start by itself again (a pause or the rate spacing
     * ends), or 0 when only a finishing delivery (or new settings) can unblock it.
     */
    long unblocksAt(long nowMillis, DomainSettings limits) {
        long at = Math.max(pausedUntil, throttledUntil);
        if (at == 0 && !burstEnding && inFlight < connectionLimit(limits) && !rateAllows(nowMillis, limits)) {
            at = Math.ceilDiv(nextStartNanos, 1_000_000);
        }
        return at;
    }

    void started(long nowMillis, DomainSettings limits) {
        inFlight++;
        if (pausesBetweenBursts(limits)) {
            sentInBurst++;
            if (sentInBurst >= limits.maxContinuous()) {
                burstEnding = true;
            }
        }
        Optional<Rate> rate = limits.maxMessageRate();
        if (rate.isPresent()) {
            // Evenly spaced from the later of now and the last slot: an idle spell earns no burst.
            // A start less than a millisecond late (the clock counts milliseconds) keeps the exact spacing.
            nextStartNanos = Math.max(nextStartNanos, nowMillis * 1_000_000 - 999_999) + rate.get().intervalNanos();
        }
    }

    /**
     * A delivery finished. Returns true when that ended a burst and a pause starts: the caller puts this queue in
     * the timer set.
     */
    boolean finished(long nowMillis, DomainSettings limits) {
        inFlight--;
        if (burstEnding && inFlight == 0) {
            burstEnding = false;
            sentInBurst = 0;
            if (pausesBetweenBursts(limits)) {
                pausedUntil = nowMillis + limits.delayForContinuing().toMillis();
                return true;
            }
        }
        if (!burstEnding && inFlight == 0 && ready.isEmpty()) {
            // Nothing sent back to back any more: the next message starts a new burst.
            sentInBurst = 0;
        }
        return false;
    }

    /** A reply matched throttle_replies: no delivery starts before {@code untilMillis}. */
    void throttle(long untilMillis, String reply) {
        throttledUntil = Math.max(throttledUntil, untilMillis);
        throttleReply = reply;
    }

    /** The timer fired at {@code nowMillis}: pauses that are over end. */
    void wake(long nowMillis) {
        if (pausedUntil != 0 && pausedUntil <= nowMillis) {
            pausedUntil = 0;
        }
        if (throttledUntil != 0 && throttledUntil <= nowMillis) {
            throttledUntil = 0;
            throttleReply = "";
        }
    }

    /** Whether it still holds state worth keeping with no work in it: a pause or rate spacing in the future. */
    long keepUntil(long nowMillis) {
        long at = Math.max(Math.max(pausedUntil, throttledUntil), Math.ceilDiv(nextStartNanos, 1_000_000));
        return at > nowMillis ? at : 0;
    }

    boolean idle() {
        return members == 0 && inFlight == 0 && !paused() && !throttled() && !inTimers;
    }

    /** Why ready work of this destination is not starting, if something stops it. */
    Optional<WaitReason> blocked(long nowMillis, DomainSettings limits) {
        wake(nowMillis); // a pause that is over says nothing
        if (destination instanceof Destination.AwaitingMx awaiting) {
            return Optional.of(new WaitReason.AwaitingMxHosts(awaiting.domain().name()));
        }
        if (throttled()) {
            return Optional.of(new WaitReason.ThrottlePause(destination.name(), Instant.ofEpochMilli(throttledUntil),
                    throttleReply));
        }
        if (paused()) {
            return Optional.of(new WaitReason.BurstPause(destination.name(), Instant.ofEpochMilli(pausedUntil)));
        }
        if (burstEnding) {
            Duration pause = limits.delayForContinuing();
            return Optional.of(new WaitReason.BurstEnding(destination.name(), inFlight, pause));
        }
        if (inFlight >= connectionLimit(limits)) {
            return Optional.of(new WaitReason.ConnectionsInUse(destination.name(), inFlight,
                    connectionLimit(limits)));
        }
        if (!rateAllows(nowMillis, limits)) {
            return Optional.of(new WaitReason.RateLimited(destination.name(),
                    Instant.ofEpochMilli(Math.ceilDiv(nextStartNanos, 1_000_000)),
                    limits.maxMessageRate().orElseThrow().toString()));
        }
        return Optional.empty();
    }

    @Override
    public long dueMillis() {
        return wakeMillis;
    }

    @Override
    public long timerSeq() {
        return timerSeq;
    }
}
