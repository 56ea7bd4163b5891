package org.heraldmta.qmgr;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heraldmta.config.DomainRules;
import org.heraldmta.spool.SpoolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code GET /api/v1/status} and a {@code /metrics} scrape pay for the queue's size by state: the full
 * snapshot (every entry with its wait reason and its spool record) against the counts the scheduler keeps. The
 * queue holds {@code queued} messages over 100 domains, not started; the spool is the in-memory test spool, so
 * the snapshot's figure leaves out the file spool's own look-up cost.
 *
 * <p>Run with {@code bench/jmh.sh QueueStatus}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class QueueStatusBenchmark {

    @Param({"10000"})
    public int queued;

    private QueueManager queue;

    @Setup
    public void fillQueue() throws SpoolException {
        InstantSource clock = InstantSource.system();
        RecordingSpool spool = new RecordingSpool(clock);
        QueueSettings settings = new QueueSettings("herald.example.test", new DomainRules(
                QueueHarness.settings(3, 0), Map.of()), List.of());
        queue = new QueueManager(spool, new ScriptedAgent(clock), () -> settings, new RecordingEventLog(),
                AttemptLog.discard(), clock);
        for (int i = 0; i < queued; i++) {
            queue.enqueue(spool.accept("alice@sender.test", "r" + i + "@d" + (i % 100) + ".test"));
        }
    }

    @TearDown
    public void close() {
        queue.close();
    }

    @Benchmark
    public Map<QueueEntry.State, Long> snapshotCounts() {
        return queue.snapshot().countByState();
    }

    @Benchmark
    public QueueCounts keptCounts() {
        return queue.counts();
    }
}
