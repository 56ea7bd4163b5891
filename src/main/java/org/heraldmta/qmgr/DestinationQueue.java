package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import org.heraldmta.config.DomainSettings;

/**
 * One destination's ready queue, its place in the scheduler's timer set, and its shaping counters
 * ({@link DestinationBudget}: connections in flight, bursts, pauses, rate spacing), which this class asks and turns
 * into wake-up times and wait reasons. Guarded by the queue manager's lock.
 *
 * <p>The queue sits in the scheduler's timer set (at {@link #dueMillis()}) while one of its pauses or its rate
 * spacing must end before it can start work.
 */
final class DestinationQueue implements Timed {

    final Destination destination;
    final DestinationBudget budget;
    final ArrayDeque<WorkItem> ready = new ArrayDeque<>();
    /** Work items (in any state) that belong to this destination; at zero the queue can be forgotten. */
    int members;
    /** When in the timer set: the wake-up time; must not change while there. */
    long wakeMillis;
    boolean inTimers;
    long timerSeq;
    boolean runnable;

    DestinationQueue(Destination destination, DestinationBudget budget) {
        this.destination = destination;
        this.budget = budget;
    }

    /**
     * The wall clock stepped back by {@code backMillis}: the wake-up time and the budget's pauses and rate spacing
     * keep the length they had left. Only while out of the timer set (the scheduler takes everything out first).
     */
    void clockSteppedBack(long backMillis) {
        if (wakeMillis != 0) {
            wakeMillis -= backMillis;
        }
        budget.clockSteppedBack(backMillis);
    }

    private static boolean rateAllows(DestinationBudget.Reading r, long nowMillis, DomainSettings limits) {
        return limits.maxMessageRate().isEmpty() || nowMillis * 1_000_000 >= r.nextStartNanos();
    }

    int inFlight() {
        return budget.read().inFlight();
    }

    long pausedUntil() {
        return budget.read().pausedUntilMillis();
    }

    long throttledUntil() {
        return budget.read().throttledUntilMillis();
    }

    String throttleReply() {
        return budget.read().throttleReply();
    }

    /** Starts (counts) a delivery if one may start now; never while the destination's MX hosts are unknown. */
    boolean tryStart(long nowMillis, DomainSettings limits) {
        return !(destination instanceof Destination.AwaitingMx) && budget.tryStart(nowMillis, limits);
    }

    /**
     * When this queue, now unable to start ready work, can start by itself again (a pause or the rate spacing
     * ends), or 0 when only a finishing delivery (or new settings) can unblock it.
     */
    long unblocksAt(long nowMillis, DomainSettings limits) {
        DestinationBudget.Reading r = budget.read();
        long at = Math.max(r.pausedUntilMillis(), r.throttledUntilMillis());
        if (at == 0 && !r.burstEnding() && r.inFlight() < DestinationBudget.connectionLimit(limits)
                && !rateAllows(r, nowMillis, limits)) {
            at = Math.ceilDiv(r.nextStartNanos(), 1_000_000);
        }
        return at;
    }

    /**
     * A delivery finished. Returns true when that ended a burst and a pause starts: the caller puts this queue in
     * the timer set.
     */
    boolean finished(long nowMillis, DomainSettings limits) {
        return budget.finished(nowMillis, limits, !ready.isEmpty());
    }

    /** A reply matched throttle_replies: no delivery starts before {@code untilMillis}. */
    void throttle(long untilMillis, String reply) {
        budget.throttle(untilMillis, reply);
    }

    /** The timer fired at {@code nowMillis}: pauses that are over end. */
    void wake(long nowMillis) {
        budget.wake(nowMillis);
    }

    /** Whether it still holds state worth keeping with no work in it: a pause or rate spacing in the future. */
    long keepUntil(long nowMillis) {
        DestinationBudget.Reading r = budget.read();
        long at = Math.max(Math.max(r.pausedUntilMillis(), r.throttledUntilMillis()),
                Math.ceilDiv(r.nextStartNanos(), 1_000_000));
        return at > nowMillis ? at : 0;
    }

    boolean idle() {
        DestinationBudget.Reading r = budget.read();
        return members == 0 && r.inFlight() == 0 && r.pausedUntilMillis() == 0 && r.throttledUntilMillis() == 0
                && !inTimers;
    }

    /** Why ready work of this destination is not starting, if something stops it. */
    Optional<WaitReason> blocked(long nowMillis, DomainSettings limits) {
        wake(nowMillis); // a pause that is over says nothing
        if (destination instanceof Destination.AwaitingMx awaiting) {
            return Optional.of(new WaitReason.AwaitingMxHosts(awaiting.domain().name()));
        }
        DestinationBudget.Reading r = budget.read();
        if (r.throttledUntilMillis() != 0) {
            return Optional.of(new WaitReason.ThrottlePause(destination.name(),
                    Instant.ofEpochMilli(r.throttledUntilMillis()), r.throttleReply()));
        }
        if (r.pausedUntilMillis() != 0) {
            return Optional.of(new WaitReason.BurstPause(destination.name(),
                    Instant.ofEpochMilli(r.pausedUntilMillis())));
        }
        if (r.burstEnding()) {
            Duration pause = limits.delayForContinuing();
            return Optional.of(new WaitReason.BurstEnding(destination.name(), r.inFlight(), pause));
        }
        int limit = DestinationBudget.connectionLimit(limits);
        if (r.inFlight() >= limit) {
            return Optional.of(new WaitReason.ConnectionsInUse(destination.name(), r.inFlight(), limit));
        }
        if (!rateAllows(r, nowMillis, limits)) {
            return Optional.of(new WaitReason.RateLimited(destination.name(),
                    Instant.ofEpochMilli(Math.ceilDiv(r.nextStartNanos(), 1_000_000)),
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
