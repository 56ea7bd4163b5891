package org.heraldmta.qmgr;

import java.util.ArrayList;
import java.util.Collection;
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
    private final Map<QueueId, MessageEntry> messages = new HashMap<>();
    private final Map<Destination, DestinationQueue> destinations = new HashMap<>();
    private final TreeSet<Timed> timers = new TreeSet<>(Timed.ORDER);
    private final LinkedHashSet<DestinationQueue> runnable = new LinkedHashSet<>();
    private long nextSeq;
    private int active;
    private long lastNowMillis = Long.MIN_VALUE;

    /** A backward clock step smaller than this is not corrected (see {@link #followClock}). */
    static final long CLOCK_STEP_TOLERANCE_MILLIS = 1_000;

    Scheduler(Function<Domain, Destination> destinationOf) {
        this.destinationOf = destinationOf;
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
            DestinationQueue queue = destinations.computeIfAbsent(destinationOf.apply(group.domain()),
                    DestinationQueue::new);
            // The destination's own Domain object, so that a million items share one per domain.
            Domain domain = queue.destination instanceof Destination.OfDomain d && d.domain().equals(group.domain())
                    ? d.domain() : group.domain();
            WorkItem item = new WorkItem(entry, domain, queue, group.lastReply());
            queue.members++;
            entry.items.add(item);
            if (held) {
                item.state = WorkItem.State.HELD;
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
                case WorkItem item -> {
                    item.state = WorkItem.State.READY;
                    item.destination.ready.add(item);
                    markRunnable(item.destination);
                }
                case DestinationQueue queue -> {
                    queue.pauseOver();
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
            while (!queue.ready.isEmpty() && queue.mayStart(limits)) {
                WorkItem item = queue.ready.poll();
                item.state = WorkItem.State.ACTIVE;
                item.attempt = ++item.message.attemptsStarted;
                queue.started(limits);
                active++;
                started.add(item);
            }
            // It comes back when a delivery finishes, its pause ends or new work arrives.
            it.remove();
            queue.runnable = false;
        }
        return started;
    }

    /** A delivery of {@code item} ended. */
    void finish(WorkItem item, Completion completion, long nowMillis, DomainRules rules) {
        followClock(nowMillis);
        active--;
        DestinationQueue queue = item.destination;
        if (queue.finished(nowMillis, queue.destination.limits(rules))) {
            queue.timerSeq = nextSeq++;
            timers.add(queue);
        }
        MessageEntry entry = item.message;
        if (completion instanceof Completion.Pending pending && !entry.deleted) {
            item.lastReply = pending.lastReply();
            if (item.bounceRequested) {
                // An operator bounce came too late for the delivery that just ended: the next run applies it.
                schedule(item, nowMillis, nowMillis);
            } else if (entry.held) {
                item.state = WorkItem.State.HELD;
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
                switch (timed) {
                    case WorkItem item -> item.dueMillis -= back;
                    case DestinationQueue queue -> queue.pausedUntil = Math.max(1, queue.pausedUntil - back);
                    default -> throw new IllegalStateException("unknown timer entry");
                }
                timers.add(timed);
            }
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
                item.state = WorkItem.State.HELD;
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

    /** After a reload: limits may have grown, so every destination with ready work gets another look. */
    void reconsiderAll() {
        destinations.values().forEach(this::markRunnable);
    }

    /** Why an item is not moving, or empty when it is in flight. */
    Optional<WaitReason> reason(WorkItem item, DomainRules rules) {
        return switch (item.state) {
            case ACTIVE -> Optional.empty();
            case HELD -> Optional.of(new WaitReason.HeldByOperator());
            case WAITING -> Optional.of(new WaitReason.RetryAt(java.time.Instant.ofEpochMilli(item.dueMillis),
                    item.lastReply));
            case READY -> Optional.of(item.destination.blocked(item.destination.destination.limits(rules))
                    .orElse(new WaitReason.ReadyToSend(item.destination.destination.name())));
        };
    }

    private void schedule(WorkItem item, long dueMillis, long nowMillis) {
        if (dueMillis <= nowMillis) {
            item.state = WorkItem.State.READY;
            item.destination.ready.add(item);
            markRunnable(item.destination);
        } else {
            item.state = WorkItem.State.WAITING;
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
        if (queue.idle()) {
            destinations.remove(queue.destination, queue);
            runnable.remove(queue);
            queue.runnable = false;
        }
    }
}
