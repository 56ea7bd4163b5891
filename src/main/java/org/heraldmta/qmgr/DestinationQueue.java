package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import org.heraldmta.config.DomainSettings;

/**
 * One destination's ready queue and shaping counters: connections in flight against {@code max_connections}, the
 * current burst against {@code max_continuous}, and the pause of {@code delay_for_continuing} between bursts.
 * A burst ends when its last delivery finishes; the pause starts then, so bursts are separated by at least the
 * pause. Guarded by the queue manager's lock; every method is O(1).
 */
final class DestinationQueue implements Timed {

    final Destination destination;
    final ArrayDeque<WorkItem> ready = new ArrayDeque<>();
    /** Work items (in any state) that belong to this destination; at zero the queue can be forgotten. */
    int members;
    int inFlight;
    int sentInBurst;
    boolean burstEnding;
    long pausedUntil;
    long timerSeq;
    boolean runnable;

    DestinationQueue(Destination destination) {
        this.destination = destination;
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

    /** May a delivery start now? */
    boolean mayStart(DomainSettings limits) {
        return !paused() && !burstEnding && inFlight < connectionLimit(limits);
    }

    void started(DomainSettings limits) {
        inFlight++;
        if (pausesBetweenBursts(limits)) {
            sentInBurst++;
            if (sentInBurst >= limits.maxContinuous()) {
                burstEnding = true;
            }
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

    void pauseOver() {
        pausedUntil = 0;
    }

    boolean idle() {
        return members == 0 && inFlight == 0 && !paused();
    }

    /** Why ready work of this destination is not starting, if something stops it. */
    Optional<WaitReason> blocked(DomainSettings limits) {
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
        return Optional.empty();
    }

    @Override
    public long dueMillis() {
        return pausedUntil;
    }

    @Override
    public long timerSeq() {
        return timerSeq;
    }
}
