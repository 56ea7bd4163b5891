package org.heraldmta.qmgr;

import org.heraldmta.config.DomainSettings;

/**
 * The shaping counters of one destination: connections in flight against {@code max_connections}, the current
 * burst against {@code max_continuous}, the pause of {@code delay_for_continuing} between bursts, the even spacing
 * of {@code max_message_rate}, and a pause after a reply that matched {@code throttle_replies}.
 *
 * <p>This is the seam for sharing one budget between several Herald nodes: an implementation over a shared store
 * counts every node's deliveries against the same limits. The queue manager calls it under its lock, in every
 * dispatch pass, so each call must answer quickly (from a local lease or cache, not a network round trip per
 * call); times are epoch milliseconds of the queue manager's clock. Not thread safe in itself: the lock guards it.
 */
public interface DestinationBudget {

    /** What the counters say now, for wait reasons and wake-up times. Times are 0 when not set. */
    record Reading(int inFlight, boolean burstEnding, long pausedUntilMillis, long throttledUntilMillis,
                   String throttleReply, long nextStartNanos) {
    }

    /**
     * Counts a delivery that starts now if the limits allow one (a connection below {@code max_connections}, no
     * pause, the burst not ending, the rate spacing passed) and returns true; else counts nothing and returns
     * false. Starting advances the burst and the next start slot of {@code max_message_rate}.
     */
    boolean tryStart(long nowMillis, DomainSettings limits);

    /**
     * A delivery counted by {@link #tryStart} ended. Returns true when that ended a burst and a burst pause starts
     * (until {@link Reading#pausedUntilMillis()}). {@code moreReady}: whether work for the destination still waits.
     */
    boolean finished(long nowMillis, DomainSettings limits, boolean moreReady);

    /** A reply matched throttle_replies: no delivery starts before {@code untilMillis} (a longer pause stays). */
    void throttle(long untilMillis, String reply);

    /** Pauses that are over at {@code nowMillis} end. */
    void wake(long nowMillis);

    Reading read();

    /**
     * The wall clock stepped back by {@code backMillis} (set by hand, a virtual machine restored): pauses and the
     * rate spacing keep the length they had left instead of growing by the step. A shared budget whose times come
     * from elsewhere may ignore it.
     */
    void clockSteppedBack(long backMillis);

    /** At least one connection, whatever {@code max_connections} says. */
    static int connectionLimit(DomainSettings limits) {
        return Math.max(1, limits.maxConnections());
    }
}
