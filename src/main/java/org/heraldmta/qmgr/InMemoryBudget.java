package org.heraldmta.qmgr;

import java.util.Optional;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.config.Rate;

/**
 * One destination's shaping counters in this process's memory. A burst ends when its last delivery finishes; the
 * pause starts then, so bursts are separated by at least the pause. Guarded by the queue manager's lock; every
 * method is O(1).
 */
final class InMemoryBudget implements DestinationBudget {

    private int inFlight;
    private int sentInBurst;
    private boolean burstEnding;
    /** End of the burst pause (epoch millis), 0 when none. */
    private long pausedUntil;
    /** End of the throttle pause (epoch millis), 0 when none. */
    private long throttledUntil;
    private String throttleReply = "";
    /** When the next message may start under max_message_rate (epoch nanoseconds), 0 when at once. */
    private long nextStartNanos;

    private static boolean pausesBetweenBursts(DomainSettings limits) {
        return limits.maxContinuous() > 0 && limits.delayForContinuing().isPositive();
    }

    @Override
    public boolean tryStart(long nowMillis, DomainSettings limits) {
        boolean rateAllows = limits.maxMessageRate().isEmpty() || nowMillis * 1_000_000 >= nextStartNanos;
        if (pausedUntil != 0 || throttledUntil != 0 || burstEnding
                || inFlight >= DestinationBudget.connectionLimit(limits) || !rateAllows) {
            return false;
        }
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
        return true;
    }

    @Override
    public boolean finished(long nowMillis, DomainSettings limits, boolean moreReady) {
        inFlight--;
        if (burstEnding && inFlight == 0) {
            burstEnding = false;
            sentInBurst = 0;
            if (pausesBetweenBursts(limits)) {
                pausedUntil = nowMillis + limits.delayForContinuing().toMillis();
                return true;
            }
        }
        if (!burstEnding && inFlight == 0 && !moreReady) {
            // Nothing sent back to back any more: the next message starts a new burst.
            sentInBurst = 0;
        }
        return false;
    }

    @Override
    public void throttle(long untilMillis, String reply) {
        throttledUntil = Math.max(throttledUntil, untilMillis);
        throttleReply = reply;
    }

    @Override
    public void wake(long nowMillis) {
        if (pausedUntil != 0 && pausedUntil <= nowMillis) {
            pausedUntil = 0;
        }
        if (throttledUntil != 0 && throttledUntil <= nowMillis) {
            throttledUntil = 0;
            throttleReply = "";
        }
    }

    @Override
    public Reading read() {
        return new Reading(inFlight, burstEnding, pausedUntil, throttledUntil, throttleReply, nextStartNanos);
    }

    @Override
    public void clockSteppedBack(long backMillis) {
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
}
