package org.heraldmta.qmgr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.QueueId;

/**
 * The in-memory schedule: which work is ready, which waits until when, what is in flight. Not thread safe: the
 * queue manager calls it under its lock.
 *
 * <p>Cost: no operation scans the whole queue. Waiting work and pausing destinations sit in one set ordered by due
 * time (O(log n) to add, remove or take the earliest); each destination has a FIFO ready queue; only destinations
 * that have ready work and may start a delivery are in the runnable set, so a dispatch pass touches only what can
 * move. The exceptions are operator actions on READY work (O(length of that destination's ready queue)) and
 * {@link #entries()}.
 */
final class Scheduler {

    /** The pending recipients of one domain of a message being added: when they are due and what was said last. */
    record Group(Domain domain, long dueMillis, String lastReply) {
    }

    private final Function<Domain, Destination> destinationOf;
    private final ShapingCounters counters;
    private final Map<QueueId, MessageEntry> messages = new HashMap<>();
    private final Map<Destination, DestinationQueue> destinations = new HashMap<>();
    private final TreeSet<Timed> timers = new TreeSet<>(Timed.ORDER);
    private final LinkedHashSet<DestinationQueue> runnable = new LinkedHashSet<>();
    private long nextSeq;
    private int active;
    /** Work items by {@link WorkItem#shown()} state, kept at every change of state, so counting costs nothing. */
    private final int[] shownCounts = new int[QueueEntry.State.values().length];
    /**
     * The latest time the scheduler was told about (see {@link #followClock}): what "the future" means when an idle
     * queue is forgotten.
     */
    private long lastNowMillis = Long.MIN_VALUE;

    /** A backward clock step smaller than this is not corrected (see {@link #followClock}). */
    static final long CLOCK_STEP_TOLERANCE_MILLIS = 1_000;

    Scheduler(Function<Domain, Destination> destinationOf) {
        this(destinationOf, ShapingCounters.inMemory());
    }

    Scheduler(Function<Domain, Destination> destinationOf, ShapingCounters counters) {
        this.destinationOf = destinationOf;
        this.counters = counters;
    }

    boolean contains(QueueId id) {
        return messages.containsKey(id);
    }

    int size() {
        return messages.size();
    }

    int active() {
        return active;
    }

    /** How many work items (message and recipient domain) are in each state people see. O(1). */
    Map<QueueEntry.State, Long> countByState() {
        Map<QueueEntry.State, Long> counts = new EnumMap<>(QueueEntry.State.class);
        for (QueueEntry.State state : QueueEntry.State.values()) {
            counts.put(state, (long) shownCounts[state.ordinal()]);
        }
        return counts;
    }

    /** Every change of an item's state goes through here, to keep {@link #shownCounts}. */
    private void moveTo(WorkItem item, WorkItem.State next) {
        if (item.state != null) {
            shownCounts[item.shown().ordinal()]--;
        }
        item.state = next;
        shownCounts[item.shown().ordinal()]++;
    }

    Optional<MessageEntry> entry(QueueId id) {
        return Optional.ofNullable(messages.get(id));
    }

    Collection<MessageEntry> entries() {
        return messages.values();
    }

    void add(QueueId id, boolean held, int attemptsStarted, List<Group> groups, long nowMillis) {
        followClock(nowMillis);
        if (groups.isEmpty() || messages.containsKey(id)) {
            return;
        }
        MessageEntry entry = new MessageEntry(id, held, attemptsStarted);
        messages.put(id, entry);
        for (Group group : groups) {
            DestinationQueue queue = queueFor(group.domain());
            // The destination's own Domain object, so that a million items share one per domain.
            Domain domain = queue.destination instanceof Destination.OfDomain d && d.domain().equals(group.domain())
                    ? d.domain() : group.domain();
            WorkItem item = new WorkItem(entry, domain, queue, group.lastReply());
            queue.members++;
            entry.items.add(item);
            if (held) {
                moveTo(item, WorkItem.State.HELD);
            } else {
                schedule(item, group.dueMillis(), nowMillis);
            }
        }
    }

    /**
     * Moves everything due by {@code nowMillis} out of the timer set, then starts as much ready work as the
     * destinations' limits allow. The items returned are ACTIVE, with their attempt numbers set.
     */
    List<WorkItem> takeDue(long nowMillis, DomainRules rules) {
        followClock(nowMillis);
        while (!timers.isEmpty() && timers.first().dueMillis() <= nowMillis) {
            switch (timers.pollFirst()) {
                case WorkItem item -> makeReady(item);
                case DestinationQueue queue -> {
                    queue.inTimers = false;
                    queue.wake(nowMillis);
                    markRunnable(queue);
                    forgetIfIdle(queue);
                }
                default -> throw new IllegalStateException("unknown timer entry");
            }
        }
        List<WorkItem> started = new ArrayList<>();
        Iterator<DestinationQueue> it = runnable.iterator();
        while (it.hasNext()) {
            DestinationQueue queue = it.next();
            DomainSettings limits = queue.destination.limits(rules);
            queue.wake(nowMillis); // a pause whose wake-up was merged into an earlier one may be over already
            while (!queue.ready.isEmpty() && queue.tryStart(nowMillis, limits)) {
                WorkItem item = queue.ready.poll();
                moveTo(item, WorkItem.State.ACTIVE);
                item.attempt = ++item.message.attemptsStarted;
                active++;
                started.add(item);
            }
            if (!queue.ready.isEmpty()) {
                long at = queue.unblocksAt(nowMillis, limits);
                if (at > 0) {
                    wakeAt(queue, at);
                }
            }
            // It comes back when a delivery finishes, its pause or rate spacing ends or new work arrives.
            it.remove();
            queue.runnable = false;
        }
        return started;
    }

    /**
     * A reply matched the destination's throttle_replies: it starts nothing before {@code untilMillis}. Returns
     * false when a pause at least as long was already running (so the caller logs it once).
     */
    boolean throttle(DestinationQueue queue, long untilMillis, String reply) {
        boolean longer = untilMillis > queue.throttledUntil();
        queue.throttle(untilMillis, reply);
        wakeAt(queue, queue.throttledUntil());
        return longer;
    }

    /**
     * Settings or MX answers changed: every ready item whose domain now belongs to another destination moves
     * there (in order), and every destination is looked at again. Costs O(ready items); only on a change.
     */
    void rerouteAll() {
        for (DestinationQueue queue : List.copyOf(destinations.values())) {
            reroute(queue);
        }
        lookAgainAtAll();
    }

    /** Every destination with ready work is looked at in the next dispatch pass. */
    void lookAgainAtAll() {
        destinations.values().forEach(this::markRunnable);
    }

    /** The ready items of {@code queue} whose domain now belongs to another destination move there. */
    void reroute(DestinationQueue queue) {
        if (queue.ready.isEmpty()) {
            return;
        }
        List<WorkItem> items = List.copyOf(queue.ready);
        queue.ready.clear();
        for (WorkItem item : items) {
            makeReady(item);
        }
        forgetIfIdle(queue);
    }

    /** The queue of a destination, if it has one now. */
    Optional<DestinationQueue> queueOf(Destination destination) {
        return Optional.ofNullable(destinations.get(destination));
    }

    private DestinationQueue queueFor(Domain domain) {
        return destinations.computeIfAbsent(destinationOf.apply(domain),
                destination -> new DestinationQueue(destination, counters.budgetOf(destination)));
    }

    /** Puts an item in the ready queue of its domain's destination as of now. */
    private void makeReady(WorkItem item) {
        DestinationQueue target = queueFor(item.domain);
        if (target != item.destination) {
            DestinationQueue old = item.destination;
            old.members--;
            target.members++;
            item.destination = target;
            forgetIfIdle(old);
        }
        moveTo(item, WorkItem.State.READY);
        target.ready.add(item);
        markRunnable(target);
    }

    /** Puts the queue in the timer set at {@code atMillis}, unless it is there for an earlier time already. */
    private void wakeAt(DestinationQueue queue, long atMillis) {
        if (queue.inTimers) {
            if (queue.wakeMillis <= atMillis) {
                return; // that wake-up looks again
            }
            timers.remove(queue);
        }
        queue.wakeMillis = atMillis;
        queue.timerSeq = nextSeq++;
        queue.inTimers = true;
        timers.add(queue);
    }

    /** A delivery of {@code item} ended. */
    void finish(WorkItem item, Completion completion, long nowMillis, DomainRules rules) {
        followClock(nowMillis);
        active--;
        DestinationQueue queue = item.destination;
        if (queue.finished(nowMillis, queue.destination.limits(rules))) {
            wakeAt(queue, queue.pausedUntil());
        }
        MessageEntry entry = item.message;
        if (completion instanceof Completion.Pending pending && !entry.deleted) {
            item.lastReply = pending.lastReply();
            if (item.bounceRequested) {
                // An operator bounce came too late for the delivery that just ended: the next run applies it.
                schedule(item, nowMillis, nowMillis);
            } else if (entry.held) {
                moveTo(item, WorkItem.State.HELD);
            } else {
                schedule(item, pending.dueMillis(), nowMillis);
            }
        } else {
            detach(item);
        }
        markRunnable(queue);
        forgetIfIdle(queue);
    }

    /**
     * When the wall clock steps back (set by hand, a virtual machine restored), every wait keeps the length it had
     * left instead of growing by the step: without this a deferred message would sit out the step (a day back: a
     * day more) before its retry. A step forward needs nothing: what is due then simply runs. Small steps (NTP)
     * are let be. O(n log n) in the waiting work, once per step.
     */
    private void followClock(long nowMillis) {
        if (lastNowMillis != Long.MIN_VALUE && nowMillis < lastNowMillis - CLOCK_STEP_TOLERANCE_MILLIS) {
            long back = lastNowMillis - nowMillis;
            List<Timed> waiting = new ArrayList<>(timers);
            timers.clear();
            for (Timed timed : waiting) {
                if (timed instanceof WorkItem item) {
                    item.dueMillis -= back;
                }
            }
            // Pauses and rate spacing of every destination, in the timer set or not, keep their remaining length.
            for (DestinationQueue queue : destinations.values()) {
                queue.clockSteppedBack(back);
            }
            timers.addAll(waiting);
        }
        lastNowMillis = nowMillis;
    }

    Optional<Long> nextWakeMillis() {
        return timers.isEmpty() ? Optional.empty() : Optional.of(timers.first().dueMillis());
    }

    /** Stops scheduling a message's work; deliveries in flight finish and then wait as HELD. */
    boolean hold(QueueId id) {
        MessageEntry entry = messages.get(id);
        if (entry == null) {
            return false;
        }
        entry.held = true;
        for (WorkItem item : entry.items) {
            if (item.state != WorkItem.State.ACTIVE) {
                unschedule(item);
                moveTo(item, WorkItem.State.HELD);
            }
        }
        return true;
    }

    /** Makes held work ready at once. */
    boolean release(QueueId id, long nowMillis) {
        MessageEntry entry = messages.get(id);
        if (entry == null) {
            return false;
        }
        entry.held = false;
        for (WorkItem item : entry.items) {
            if (item.state == WorkItem.State.HELD) {
                schedule(item, nowMillis, nowMillis);
            }
        }
        return true;
    }

    /** Makes waiting work ready at once (held work stays held; shaping limits still apply). */
    boolean retryNow(QueueId id, long nowMillis) {
        MessageEntry entry = messages.get(id);
        if (entry == null) {
            return false;
        }
        for (WorkItem item : entry.items) {
            if (item.state == WorkItem.State.WAITING) {
                timers.remove(item);
                schedule(item, nowMillis, nowMillis);
            }
        }
        return true;
    }

    /**
     * Takes a message's work out of the schedule except what is in flight; returns the domains taken out. Work in
     * flight is left to finish (its completion then detaches it: see {@link MessageEntry#deleted}).
     */
    List<Domain> detachIdleWork(QueueId id) {
        MessageEntry entry = messages.get(id);
        if (entry == null) {
            return List.of();
        }
        List<Domain> taken = new ArrayList<>();
        for (WorkItem item : List.copyOf(entry.items)) {
            if (item.state != WorkItem.State.ACTIVE) {
                unschedule(item);
                taken.add(item.domain);
                detach(item);
            }
        }
        return taken;
    }

    /** Items of a message whose delivery is in flight. */
    List<WorkItem> activeItems(QueueId id) {
        MessageEntry entry = messages.get(id);
        if (entry == null) {
            return List.of();
        }
        return entry.items.stream().filter(i -> i.state == WorkItem.State.ACTIVE).toList();
    }

    /** Why an item is not moving, or empty when it is in flight. */
    Optional<WaitReason> reason(WorkItem item, DomainRules rules, long nowMillis) {
        return switch (item.state) {
            case ACTIVE -> Optional.empty();
            case HELD -> Optional.of(new WaitReason.HeldByOperator());
            // A retry due inside a throttle pause of its destination waits for the pause: say the longer wait.
            case WAITING -> Optional.of(item.destination.throttledUntil() > item.dueMillis
                    ? new WaitReason.ThrottlePause(item.destination.destination.name(),
                            java.time.Instant.ofEpochMilli(item.destination.throttledUntil()),
                            item.destination.throttleReply())
                    : new WaitReason.RetryAt(java.time.Instant.ofEpochMilli(item.dueMillis), item.lastReply));
            case READY -> Optional.of(item.destination.blocked(nowMillis, item.destination.destination.limits(rules))
                    .orElse(new WaitReason.ReadyToSend(item.destination.destination.name())));
        };
    }

    private void schedule(WorkItem item, long dueMillis, long nowMillis) {
        if (dueMillis <= nowMillis) {
            makeReady(item);
        } else {
            moveTo(item, WorkItem.State.WAITING);
            item.dueMillis = dueMillis;
            item.timerSeq = nextSeq++;
            timers.add(item);
        }
    }

    private void unschedule(WorkItem item) {
        switch (item.state) {
            case WAITING -> timers.remove(item);
            case READY -> item.destination.ready.remove(item);
            default -> {
            }
        }
    }

    private void detach(WorkItem item) {
        MessageEntry entry = item.message;
        shownCounts[item.shown().ordinal()]--;
        entry.items.remove(item);
        item.destination.members--;
        forgetIfIdle(item.destination);
        if (entry.items.isEmpty()) {
            messages.remove(entry.id);
        }
    }

    private void markRunnable(DestinationQueue queue) {
        if (!queue.runnable && !queue.ready.isEmpty()) {
            queue.runnable = true;
            runnable.add(queue);
        }
    }

    private void forgetIfIdle(DestinationQueue queue) {
        if (queue.members == 0 && queue.inFlight() == 0 && !queue.inTimers) {
            long keep = queue.keepUntil(lastNowMillis);
            if (keep > 0) {
                // A pause or rate spacing still runs: the next message must wait for it too.
                wakeAt(queue, keep);
            }
        }
        if (queue.idle()) {
            destinations.remove(queue.destination, queue);
            runnable.remove(queue);
            queue.runnable = false;
        }
    }
}
