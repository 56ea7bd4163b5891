package org.heraldmta.qmgr;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.config.DomainRules;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.QueueId;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler's pick of the next delivery, in the steady state of a busy queue: a delivery finishes, a new
 * message arrives for the same domain, and {@link Scheduler#takeDue} picks the delivery that may start now. The
 * queue holds {@code ready} messages ready to go (spread over {@code domains} domains, each held to
 * {@code max_connections = 20}) and as many again waiting for a retry an hour away, which a pick must not scan.
 * The result is picks per second (each one finish, one add and one take).
 *
 * <p>Run with {@code bench/jmh.sh SchedulerPick}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SchedulerPickBenchmark {

    @Param({"1000", "100000"})
    public int ready;

    @Param({"1", "100"})
    public int domains;

    private static final long NOW = Instant.parse("2030-01-01T12:00:00Z").toEpochMilli();
    private static final long RETRY_LATER = NOW + 3_600_000;

    private Scheduler scheduler;
    private DomainRules rules;
    private final ArrayDeque<WorkItem> inFlight = new ArrayDeque<>();

    @Setup
    public void fillQueue() throws ConfigException {
        rules = new ConfigLoader("bench.test", Path.of(".")).parse(Path.of("bench.toml"), "bench.toml",
                "[domains.default]\nmax_connections = 20\n").domains();
        scheduler = new Scheduler(Destination::of);
        QueueId.Generator ids = new QueueId.Generator(InstantSource.fixed(Instant.ofEpochMilli(NOW)));
        Domain[] names = new Domain[domains];
        for (int d = 0; d < domains; d++) {
            names[d] = Domain.of("d" + d + ".bench.test");
        }
        for (int i = 0; i < 2 * ready; i++) {
            long due = i % 2 == 0 ? NOW : RETRY_LATER;
            scheduler.add(ids.next(), false, 0, List.of(new Scheduler.Group(names[i % domains], due, "")), NOW);
        }
        inFlight.addAll(scheduler.takeDue(NOW, rules));
    }

    @Benchmark
    public int finishOneAndPickTheNext() {
        WorkItem done = inFlight.poll();
        scheduler.finish(done, new Completion.Done(), NOW, rules);
        // The finished message left the schedule, so its id can come back as the next message's.
        scheduler.add(done.message.id, false, 0, List.of(new Scheduler.Group(done.domain, NOW, "")), NOW);
        List<WorkItem> started = scheduler.takeDue(NOW, rules);
        inFlight.addAll(started);
        return started.size();
    }
}
