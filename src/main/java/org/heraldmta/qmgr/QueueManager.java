package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.heraldmta.config.DomainRules;
import org.heraldmta.log.EventLog;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.QueueId;
import org.heraldmta.smtp.DeliveryAgent;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.Spool;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every spooled message to its recipients: keeps the pending work in memory, grouped per destination,
 * starts one delivery (a virtual thread calling the {@link DeliveryAgent}) per message and recipient domain as
 * shaping allows, and retries, relays, bounces or expires as {@link DeliveryPlanner} decides.
 *
 * <p>Call order: construct; {@link #enqueue} every message the spool recovered; {@link #start()}; then
 * {@link #enqueue} each newly committed message, and any operator action, from any thread; {@link #close()} last.
 * Tests (and tools) may instead drive it without {@code start()}: {@link #runDueWork()} starts what is due on the
 * injected clock, {@link #runUntilIdle()} repeats that until nothing more can start now, {@link #nextWakeUp()}
 * says when something will next be due.
 *
 * <p>Guarantees: at most {@code max_connections} deliveries run at once per destination; after
 * {@code max_continuous} messages to a destination it pauses {@code delay_for_continuing}; a failed message waits
 * in a timer set while other mail to its domain goes ahead; every recipient's new state is in the spool before its
 * next attempt, and a message is removed from the spool once all its recipients are final; a bounce notification
 * is committed before the failure it reports, and never for a message from the null sender; held messages are not
 * scheduled. No decision scans the whole queue. Thread safe.
 */
public final class QueueManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueManager.class);
    /** Longest sleep of the dispatcher, so that a jump of the wall clock is noticed. */
    private static final long MAX_SLEEP_MILLIS = 60_000;
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(1);
    /** A domain's work waits at most this long for its MX hosts before it goes as its own destination. */
    private static final Duration MX_LOOKUP_LIMIT = Duration.ofSeconds(30);

    private final Spool spool;
    private final Supplier<QueueSettings> settings;
    private final InstantSource clock;
    private final DeliveryEvents events;
    private final StripedLocks locks = new StripedLocks(256);
    private final DeliveryRun run;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever something may have become startable, or a delivery ended. */
    private final Condition changed = lock.newCondition();
    private final Scheduler scheduler;
    private final DestinationRouter router;
    private final MxHostNames mxHostNames;
    private Thread dispatcher;
    private boolean closed;

    /**
     * @param spool    where messages and their recipient states live
     * @param agent    makes each attempt
     * @param settings the current hostname, domain rules and relays; read again for each decision (reloads)
     * @param events   receives delivered/deferred/bounced/expired/bounce_queued events
     * @param attempts receives each attempt's request and report (transcript)
     * @param clock    the time of every decision
     */
    public QueueManager(Spool spool, DeliveryAgent agent, Supplier<QueueSettings> settings, EventLog events,
                        AttemptLog attempts, InstantSource clock) {
        this(spool, agent, settings, events, attempts, clock, MxHostNames.none());
    }

    /**
     * @param mxHostNames the MX host names of a domain, asked for only while {@code [mx.*]} rules exist, to know
     *                    which MX rule's destination a domain belongs to
     */
    public QueueManager(Spool spool, DeliveryAgent agent, Supplier<QueueSettings> settings, EventLog events,
                        AttemptLog attempts, InstantSource clock, MxHostNames mxHostNames) {
        this(spool, agent, settings, events, attempts, clock, mxHostNames, ShapingCounters.inMemory());
    }

    /**
     * @param counters where each destination's shaping counters live ({@link ShapingCounters#inMemory()} for one
     *                 node; a shared store would let several nodes keep one budget per destination)
     */
    public QueueManager(Spool spool, DeliveryAgent agent, Supplier<QueueSettings> settings, EventLog events,
                        AttemptLog attempts, InstantSource clock, MxHostNames mxHostNames,
                        ShapingCounters counters) {
        this.mxHostNames = mxHostNames;
        this.router = new DestinationRouter(new MxLookups(mxHostNames, MX_LOOKUP_LIMIT, this::mxHostsAnswered));
        this.scheduler = new Scheduler(domain -> router.destinationOf(domain, rules(), clock.millis()), counters);
        this.spool = spool;
        this.settings = settings;
        this.clock = clock;
        this.events = new DeliveryEvents(events);
        this.run = new DeliveryRun(spool, agent, settings, this.events, attempts, clock, locks);
    }

    /**
     * Queues a committed message (from the SMTP server after commit, from spool recovery at start, or a bounce).
     * Its pending recipients are scheduled at their not-before times; a held message waits for release; a message
     * whose recipients are all final is removed from the spool. Queuing the same id twice has no effect.
     */
    public void enqueue(SpooledMessage message) {
        if (message.isFinished()) {
            try {
                spool.remove(message.id());
            } catch (SpoolException e) {
                LOG.warn("{}: finished message could not be removed from the spool: {}", message.id(),
                        e.getMessage());
            }
            return;
        }
        Map<Domain, List<RecipientStatus>> byDomain = new LinkedHashMap<>();
        for (RecipientStatus r : message.recipients()) {
            if (r.state() == RecipientState.PENDING) {
                byDomain.computeIfAbsent(r.recipient().domain(), d -> new ArrayList<>()).add(r);
            }
        }
        List<Scheduler.Group> groups = new ArrayList<>();
        int attemptsSoFar = 0;
        long now = clock.millis();
        for (Map.Entry<Domain, List<RecipientStatus>> e : byDomain.entrySet()) {
            List<RecipientStatus> pending = e.getValue();
            long due = pending.stream().mapToLong(r -> r.notBefore().toEpochMilli()).min().orElseThrow();
            // No retry waits longer than the longest delay_after_failure: a later time in the spool means the clock
            // stepped back while Herald was down, and the message would otherwise sit out the step.
            long longestDelay = rules().forDomain(e.getKey()).delayAfterFailure().stream()
                    .mapToLong(Duration::toMillis).max().orElse(0);
            due = Math.min(due, now + longestDelay);
            groups.add(new Scheduler.Group(e.getKey(), due, pending.get(0).lastReply()));
            // Recipients of one domain go together, so the domain's highest count is its number of attempts.
            attemptsSoFar += pending.stream().mapToInt(RecipientStatus::attempts).max().orElse(0);
        }
        lock.lock();
        try {
            scheduler.add(message.id(), message.held(), attemptsSoFar, groups, clock.millis());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Starts the dispatcher thread, which starts deliveries as they become due. */
    public void start() {
        lock.lock();
        try {
            if (dispatcher != null || closed) {
                throw new IllegalStateException("the queue manager was already started or closed");
            }
            dispatcher = Thread.ofVirtual().name("qmgr-dispatcher").start(this::dispatchLoop);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops starting deliveries and waits for those in flight to finish (they end within the SMTP time-outs).
     * What is still queued stays in the spool for the next start.
     */
    @Override
    public void close() {
        Thread thread;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            thread = dispatcher;
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        lock.lock();
        try {
            while (scheduler.active() > 0) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts every delivery that is due on the clock and allowed by shaping; returns how many it started. For use
     * without {@link #start()} (tests on a manual clock).
     */
    public int runDueWork() {
        List<WorkItem> due;
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            due = scheduler.takeDue(clock.millis(), rules());
        } finally {
            lock.unlock();
        }
        launch(due);
        return due.size();
    }

    /** Waits until no delivery is in flight; false if {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (scheduler.active() > 0 || router.pending() > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts due work, waits for it, and repeats until nothing more can start at the clock's current time. For use
     * without {@link #start()}: advance the clock (to {@link #nextWakeUp()}) and call again.
     *
     * @throws IllegalStateException when deliveries are still running after a minute
     */
    public void runUntilIdle() throws InterruptedException {
        while (true) {
            // Deliveries already in flight may leave work ready when they end: then another pass is needed.
            boolean wasBusy;
            lock.lock();
            try {
                wasBusy = scheduler.active() > 0 || router.pending() > 0;
            } finally {
                lock.unlock();
            }
            int started = runDueWork();
            if (!awaitIdle(IDLE_TIMEOUT)) {
                throw new IllegalStateException("deliveries still running after " + IDLE_TIMEOUT);
            }
            if (started == 0 && !wasBusy) {
                return;
            }
        }
    }

    /** When the next waiting work or destination pause is due, if any. */
    public Optional<Instant> nextWakeUp() {
        lock.lock();
        try {
            return scheduler.nextWakeMillis().map(Instant::ofEpochMilli);
        } finally {
            lock.unlock();
        }
    }

    /** Messages queued (in any state, in flight included). */
    public int size() {
        lock.lock();
        try {
            return scheduler.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Entries by state and messages, as {@link #snapshot()} would count them, at O(1) cost: kept by the scheduler
     * at every change of state, with no spool read (for status pages and metrics).
     */
    public QueueCounts counts() {
        lock.lock();
        try {
            return new QueueCounts(scheduler.countByState(), scheduler.size());
        } finally {
            lock.unlock();
        }
    }

    /** Deliveries in flight. */
    public int activeDeliveries() {
        lock.lock();
        try {
            return scheduler.active();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Why a message is not moving now and until when: the reason of the first of its recipient domains that waits.
     * Empty when it is not queued, or every part of it is being delivered.
     */
    public Optional<WaitReason> whyWaiting(QueueId id) {
        lock.lock();
        try {
            DomainRules rules = rules();
            return scheduler.entry(id).flatMap(entry -> entry.items.stream()
                    .map(item -> scheduler.reason(item, rules, clock.millis()))
                    .flatMap(Optional::stream).findFirst());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The destination a domain's mail is counted against now: the domain, or the MX rule its known MX hosts match
     * (while its MX hosts are being looked up for the first time: the domain, as {@link Destination.AwaitingMx}).
     */
    public Destination destinationOf(Domain domain) {
        lock.lock();
        try {
            return router.destinationOf(domain, rules(), clock.millis());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the MX host names the queue manager itself uses (the injected {@link MxHostNames}) for a domain, e.g. to
     * explain its settings; the answer may take as long as DNS does, so a caller sets its own time limit.
     */
    public CompletionStage<List<String>> lookupMxHosts(Domain domain) {
        try {
            return mxHostNames.lookup(domain);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Every queued message and recipient domain, oldest first, with state and reason. Costs O(queue size). */
    public QueueSnapshot snapshot() {
        record Part(QueueId id, Domain domain, QueueEntry.State state, Optional<Instant> next,
                    Optional<WaitReason> reason) {
        }
        List<Part> parts = new ArrayList<>();
        Instant now;
        lock.lock();
        try {
            now = clock.instant();
            DomainRules rules = rules();
            for (MessageEntry entry : scheduler.entries()) {
                for (WorkItem item : entry.items) {
                    QueueEntry.State state = item.shown();
                    Optional<Instant> next = item.state == WorkItem.State.WAITING
                            ? Optional.of(Instant.ofEpochMilli(item.dueMillis)) : Optional.empty();
                    parts.add(new Part(entry.id, item.domain, state, next, scheduler.reason(item, rules, now.toEpochMilli())));
                }
            }
        } finally {
            lock.unlock();
        }
        parts.sort(Comparator.comparing(Part::id).thenComparing(Part::domain));
        List<QueueEntry> entries = new ArrayList<>(parts.size());
        for (Part part : parts) {
            spool.find(part.id()).ifPresent(m -> entries.add(new QueueEntry(part.id(), m.envelope().sender(),
                    part.domain(), m.recipients().stream()
                    .filter(r -> part.domain().equals(r.recipient().domain())).toList(),
                    part.state(), part.next(), part.reason(), m.envelope().received(), m.size())));
        }
        return new QueueSnapshot(now, entries);
    }

    /** Makes a message's waiting work due now (shaping limits still apply; held work stays held). */
    public boolean retryNow(QueueId id) {
        lock.lock();
        try {
            boolean found = scheduler.retryNow(id, clock.millis());
            changed.signalAll();
            return found;
        } finally {
            lock.unlock();
        }
    }

    /** Stops scheduling a message until {@link #release}; a delivery in flight finishes first. Durable. */
    public boolean hold(QueueId id) throws SpoolException {
        return setHeld(id, true);
    }

    /** Makes a held message due now. Durable. */
    public boolean release(QueueId id) throws SpoolException {
        return setHeld(id, false);
    }

    private boolean setHeld(QueueId id, boolean held) throws SpoolException {
        ReentrantLock messageLock = locks.of(id);
        messageLock.lock();
        try {
            Optional<SpooledMessage> found = spool.find(id);
            if (found.isEmpty()) {
                return false;
            }
            if (found.get().held() != held) {
                spool.update(id, found.get().recipients(), held);
            }
            lock.lock();
            try {
                if (held) {
                    scheduler.hold(id);
                } else {
                    scheduler.release(id, clock.millis());
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } finally {
            messageLock.unlock();
        }
        events.operatorAction(clock.instant(), held ? "held" : "released", id);
        return true;
    }

    /**
     * Removes a message from the queue and the spool without a bounce. A delivery in flight finishes, but its
     * result is not recorded.
     */
    public boolean delete(QueueId id) throws SpoolException {
        ReentrantLock messageLock = locks.of(id);
        messageLock.lock();
        try {
            if (spool.find(id).isEmpty()) {
                return false;
            }
            lock.lock();
            try {
                scheduler.entry(id).ifPresent(entry -> entry.deleted = true);
                scheduler.detachIdleWork(id);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            spool.remove(id);
        } finally {
            messageLock.unlock();
        }
        events.operatorAction(clock.instant(), "deleted", id);
        return true;
    }

    /**
     * Bounces every pending recipient of a message now (event {@code bounced}, reply "bounced by operator", and a
     * notification to the sender unless it is the null sender). Recipients whose delivery is in flight are bounced
     * when it ends, unless it delivered them.
     */
    public boolean bounce(QueueId id) {
        Optional<SpooledMessage> found = spool.find(id);
        if (found.isEmpty()) {
            return false;
        }
        List<Domain> idle;
        int attempt;
        lock.lock();
        try {
            if (scheduler.contains(id)) {
                attempt = scheduler.entry(id).map(e -> e.attemptsStarted).orElse(0);
                scheduler.activeItems(id).forEach(item -> item.bounceRequested = true);
                idle = scheduler.detachIdleWork(id);
            } else {
                // In the spool but not queued (not yet recovered): every pending recipient goes.
                attempt = found.get().recipients().stream().mapToInt(RecipientStatus::attempts).max().orElse(0);
                idle = found.get().recipients().stream().filter(r -> r.state() == RecipientState.PENDING)
                        .map(r -> r.recipient().domain()).distinct().toList();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        DeliveryRun.Result result = run.bounceByOperator(id, idle, attempt);
        result.notifications().forEach(this::enqueue);
        return true;
    }

    /**
     * Tells the queue manager the settings changed (a reload): limits are looked at again for every destination
     * with ready work, and ready work whose domain now belongs to another destination (an MX rule added, changed
     * or removed) moves there; waiting work finds its destination when it is due. Deliveries in flight finish with
     * the settings they started with. Costs O(ready work).
     */
    public void settingsChanged() {
        lock.lock();
        try {
            scheduler.rerouteAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells the queue manager that shaping counters it shares with other nodes changed outside it (another node
     * finished a delivery or a pause ended there): every destination with ready work is looked at again. A shared
     * {@link ShapingCounters} calls it; the in-memory one never needs to. Costs O(destinations).
     */
    public void shapingCountersChanged() {
        lock.lock();
        try {
            scheduler.lookAgainAtAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private DomainRules rules() {
        return settings.get().rules();
    }

    /** An MX answer came: the domain's ready work moves to the destination it belongs to. */
    private void mxHostsAnswered(Domain domain, Optional<List<String>> hosts) {
        lock.lock();
        try {
            Optional<Destination> before = router.answered(domain, hosts, rules(), clock.millis());
            scheduler.queueOf(new Destination.AwaitingMx(domain)).ifPresent(scheduler::reroute);
            before.flatMap(scheduler::queueOf).ifPresent(scheduler::reroute);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void dispatchLoop() {
        while (true) {
            List<WorkItem> due;
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        return;
                    }
                    due = scheduler.takeDue(clock.millis(), rules());
                    if (!due.isEmpty()) {
                        break;
                    }
                    long sleep = scheduler.nextWakeMillis().map(t -> t - clock.millis()).orElse(MAX_SLEEP_MILLIS);
                    if (sleep > 0) {
                        changed.await(Math.min(sleep, MAX_SLEEP_MILLIS), TimeUnit.MILLISECONDS);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            launch(due);
        }
    }

    private void launch(List<WorkItem> items) {
        for (WorkItem item : items) {
            Thread.ofVirtual().name("delivery-" + item.message.id + "-" + item.domain).start(() -> deliver(item));
        }
    }

    /** Pauses the destination after a throttle reply; logged (before the delivery counts as finished) once. */
    private void throttle(DestinationQueue queue, String reply, Duration pause) {
        Instant until;
        boolean newPause;
        lock.lock();
        try {
            until = clock.instant().plus(pause);
            newPause = scheduler.throttle(queue, until.toEpochMilli(), reply);
        } finally {
            lock.unlock();
        }
        if (newPause) {
            LOG.warn("destination {} paused until {} after the throttle reply \"{}\"", queue.destination.name(),
                    until, reply);
            events.throttled(clock.instant(), queue.destination.name(), reply, until);
        }
    }

    private void deliver(WorkItem item) {
        DeliveryRun.Result result;
        try {
            result = run.run(item.message.id, item.domain, item.attempt, () -> item.bounceRequested,
                    item.destination.destination);
        } catch (RuntimeException | Error e) {
            LOG.error("{}: delivery to {} failed inside Herald; it is tried again later", item.message.id,
                    item.domain, e);
            result = new DeliveryRun.Result(new Completion.Pending(clock.millis() + MAX_SLEEP_MILLIS,
                    "internal error: " + e), List.of());
        }
        // Notifications are queued before the item finishes, so that "idle" includes them.
        result.notifications().forEach(this::enqueue);
        if (result.throttleReply().isPresent()) {
            throttle(item.destination, result.throttleReply().get(), result.throttlePause());
        }
        lock.lock();
        try {
            scheduler.finish(item, result.completion(), clock.millis(), rules());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
