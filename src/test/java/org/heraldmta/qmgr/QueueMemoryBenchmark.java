package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heraldmta.config.DomainKey;
import org.heraldmta.config.DomainOverrides;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.Rate;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints, for 10k, 100k and 1M queued messages over 10,000 domains with 90 % of them waiting for a retry: the heap
 * per queued message in the queue manager, the cost of a dispatch pass, and the scheduler's decisions per second
 * (a decision: a due item started under its destination's limits, then finished and put back in the timer set).
 * Tagged {@code benchmark}, so the normal build leaves it out. Run:
 * {@code ./herald test -Dtest=QueueMemoryBenchmark -Dherald.test.excludedGroups=none -Dherald.test.heap=4g}
 * (the figures are in target/surefire-reports/org.heraldmta.qmgr.QueueMemoryBenchmark-output.txt).
 */
@Tag("benchmark")
class QueueMemoryBenchmark {

    private static final int DOMAINS = 10_000;
    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");

    @Test
    void heapPerQueuedMessageAndSchedulingCostWithADeepQueue() throws Exception {
        for (int size : new int[] {10_000, 100_000, 1_000_000}) {
            measureHeapAndDispatch(size);
            measureDecisions(size);
        }
    }

    /** Runs outside JUnit too: {@code java -cp target/test-classes:target/classes:DEPS ...QueueMemoryBenchmark}. */
    public static void main(String[] args) throws Exception {
        new QueueMemoryBenchmark().heapPerQueuedMessageAndSchedulingCostWithADeepQueue();
    }

    /** Shaping on every destination: 5 connections, bursts of 5, and a message rate on a tenth of the domains. */
    private static DomainRules rules() {
        Map<String, DomainOverrides> rated = new java.util.HashMap<>();
        for (int d = 0; d < DOMAINS; d += 10) {
            rated.put("d" + d + ".test", new DomainOverrides(Map.of(DomainKey.MAX_MESSAGE_RATE,
                    Optional.of(Rate.parse("600/m")))));
        }
        return new DomainRules(new DomainOverrides(Map.of(DomainKey.DIRECT_ATTEMPTS, 3, DomainKey.RELAY_ATTEMPTS, 0)),
                rated, Map.of(), Map.of());
    }

    private static void measureHeapAndDispatch(int messages) throws Exception {
        ManualClock clock = new ManualClock(START);
        RecordingSpool spool = new RecordingSpool(clock);
        QueueSettings settings = new QueueSettings("herald.example.test", rules(), List.of());
        QueueManager queue = new QueueManager(spool, new ScriptedAgent(clock), () -> settings,
                new RecordingEventLog(), AttemptLog.discard(), clock);
        QueueId.Generator ids = new QueueId.Generator(clock);
        long before = usedHeap();
        for (int i = 0; i < messages; i++) {
            Address to = Address.parse("r" + i + "@d" + (i % DOMAINS) + ".test");
            Instant retry = clock.instant().plusSeconds(60 + i % 3600);
            RecipientStatus status = new RecipientStatus(to, RecipientState.PENDING, 1, 0, retry, "rcpt",
                    "451 4.7.1 greylisted");
            queue.enqueue(new SpooledMessage(ids.next(), new Envelope(Address.parse("a@sender.test"), List.of(to),
                    clock.instant(), "127.0.0.1", "client", false, false), 1000, List.of(status), false));
        }
        long after = usedHeap();
        // The queue ids and addresses belong to the spool's records in a real server; they are counted here too.
        System.out.printf("%,d messages over %,d domains: %,d bytes of heap per queued message%n", messages,
                DOMAINS, (after - before) / messages);
        long start = System.nanoTime();
        int passes = 10_000;
        for (int i = 0; i < passes; i++) {
            queue.runDueWork();
        }
        System.out.printf("  dispatch pass with nothing due: %,d ns%n", (System.nanoTime() - start) / passes);
        clock.advance(Duration.ofSeconds(61));
        start = System.nanoTime();
        int started = queue.runDueWork();
        System.out.printf("  pass that starts %,d due deliveries: %,d us%n", started,
                (System.nanoTime() - start) / 1000);
        queue.runUntilIdle();
        queue.close();
    }

    /**
     * The scheduler alone (no threads, no spool): 10 % of the messages due at once, the rest waiting up to an hour;
     * every second of the manual clock, everything due is started and finished with a retry 10 to 70 minutes
     * later. Counts decisions per second of real time over three seconds, after a second of warm-up.
     */
    private static void measureDecisions(int messages) {
        decisionsPerSecond(messages, 1_000_000_000L); // warm-up, so that the figure is not the JIT's
        double perSecond = decisionsPerSecond(messages, 3_000_000_000L);
        System.out.printf("  scheduler: %,.0f decisions per second%n", perSecond);
    }

    private static double decisionsPerSecond(int messages, long forNanos) {
        DomainRules rules = rules();
        Scheduler scheduler = new Scheduler(Destination::of);
        QueueId.Generator ids = new QueueId.Generator(() -> START);
        List<Domain> domains = new ArrayList<>(DOMAINS);
        for (int d = 0; d < DOMAINS; d++) {
            domains.add(Domain.of("d" + d + ".test"));
        }
        long now = START.toEpochMilli();
        for (int i = 0; i < messages; i++) {
            long due = i % 10 == 0 ? now : now + 60_000 + (i % 3600) * 1000L;
            scheduler.add(ids.next(), false, 1, List.of(new Scheduler.Group(domains.get(i % DOMAINS), due,
                    "451 4.7.1 greylisted")), now);
        }
        long decisions = 0;
        long started = System.nanoTime();
        long deadline = started + forNanos;
        int round = 0;
        while (System.nanoTime() < deadline) {
            List<WorkItem> due = scheduler.takeDue(now, rules);
            for (WorkItem item : due) {
                long retry = now + 600_000 + (round * 7919L + decisions) % 3_600_000;
                scheduler.finish(item, new Completion.Pending(retry, "451 4.7.1 greylisted"), now, rules);
            }
            decisions += due.size();
            now += 1000;
            round++;
        }
        return decisions / ((System.nanoTime() - started) / 1e9);
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
