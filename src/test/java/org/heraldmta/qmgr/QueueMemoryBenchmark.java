package org.heraldmta.qmgr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.heraldmta.config.DomainRules;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints the scheduler's heap per queued message and the cost of a dispatch pass with a deep queue of waiting work.
 * Tagged {@code benchmark}, so the normal build leaves it out; run its {@link #main} (needs about 1 GB of heap).
 */
@Tag("benchmark")
class QueueMemoryBenchmark {

    @Test
    void heapPerQueuedMessageAndDispatchCostWithADeepQueue() throws Exception {
        for (int size : new int[] {10_000, 100_000, 1_000_000}) {
            measure(size, 10_000);
        }
    }

    /** Runs outside JUnit too: {@code java -cp target/test-classes:target/classes:DEPS ...QueueMemoryBenchmark}. */
    public static void main(String[] args) throws Exception {
        new QueueMemoryBenchmark().heapPerQueuedMessageAndDispatchCostWithADeepQueue();
    }

    private static void measure(int messages, int domains) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T12:00:00Z"));
        RecordingSpool spool = new RecordingSpool(clock);
        QueueSettings settings = new QueueSettings("herald.example.test", new DomainRules(
                QueueHarness.settings(3, 0), Map.of()), List.of());
        QueueManager queue = new QueueManager(spool, new ScriptedAgent(clock), () -> settings,
                new RecordingEventLog(), AttemptLog.discard(), clock);
        QueueId.Generator ids = new QueueId.Generator(clock);
        long before = usedHeap();
        for (int i = 0; i < messages; i++) {
            Address to = Address.parse("r" + i + "@d" + (i % domains) + ".test");
            Instant retry = clock.instant().plusSeconds(60 + i % 3600);
            RecipientStatus status = new RecipientStatus(to, RecipientState.PENDING, 1, 0, retry, "rcpt",
                    "451 4.7.1 greylisted");
            queue.enqueue(new SpooledMessage(ids.next(), new Envelope(Address.parse("a@sender.test"), List.of(to),
                    clock.instant(), "127.0.0.1", "client", false, false), 1000, List.of(status), false));
        }
        long after = usedHeap();
        // The queue ids and addresses belong to the spool's records in a real server; they are counted here too.
        System.out.printf("%,d messages over %,d domains: %,d bytes of heap per queued message%n", messages,
                domains, (after - before) / messages);
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

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
