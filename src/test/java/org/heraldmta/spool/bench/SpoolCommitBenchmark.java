package org.heraldmta.spool.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.FileSpool;
import org.heraldmta.spool.IncomingMessage;
import org.heraldmta.spool.SpooledMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Group commit under concurrency: every benchmark thread receives a message of {@code size} bytes and commits it
 * (fsync on, through a real file system). Throughput is committed messages per second over all threads; after
 * each iteration it prints how many fsyncs the commits cost (well below one each when they share them).
 *
 * <p>Run with {@code bench/jmh.sh SpoolCommit} (any JMH option may follow: {@code -t 200} for 200 sessions). The
 * spool lives under {@code java.io.tmpdir} unless
 * {@code -Dherald.bench.dir=DIR} names a directory on the disk to measure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(20)
public class SpoolCommitBenchmark {

    @Param({"5120"})
    public int size;

    private Path directory;
    private FileSpool spool;
    private byte[] content;
    private Envelope envelope;
    private final LongAdder commits = new LongAdder();
    private long forcesAtIterationStart;

    @Setup(Level.Iteration)
    public void startCounting() {
        commits.reset();
        forcesAtIterationStart = spool.forceCount();
    }

    @Setup(Level.Trial)
    public void openSpool() throws IOException {
        Path base = Path.of(System.getProperty("herald.bench.dir", System.getProperty("java.io.tmpdir")));
        directory = Files.createTempDirectory(base, "herald-spool-bench-");
        InstantSource clock = InstantSource.system();
        spool = new FileSpool(directory, clock, new QueueId.Generator(clock));
        spool.open();
        content = new byte[size];
        new Random(1).nextBytes(content);
        envelope = new Envelope(Address.parse("sender@origin.test"), List.of(Address.parse("rcpt@dest.test")),
                clock.instant(), "127.0.0.1", "bench.origin.test", false, true);
    }

    /**
     * Removes what an iteration stored so that the journal does not grow without bound between iterations. The
     * removals run in parallel, so that they share fsyncs as the commits did (one by one, the tens of thousands an
     * iteration stores would take minutes).
     */
    @TearDown(Level.Iteration)
    public void emptySpool() throws Exception {
        long forces = spool.forceCount() - forcesAtIterationStart;
        System.out.printf("%n%d commits, %d fsyncs (%.3f per commit)%n", commits.sum(), forces,
                forces / (double) Math.max(1, commits.sum()));
        try (ExecutorService removers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> removals = new ArrayList<>();
            for (SpooledMessage message : spool.messages()) {
                removals.add(removers.submit(() -> {
                    spool.remove(message.id());
                    return null;
                }));
            }
            for (Future<?> removal : removals) {
                removal.get();
            }
        }
    }

    @TearDown(Level.Trial)
    public void closeSpool() throws IOException {
        spool.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Benchmark
    public SpooledMessage commit() throws Exception {
        try (IncomingMessage incoming = spool.begin()) {
            incoming.content().write(content);
            SpooledMessage committed = incoming.commit(envelope);
            commits.increment();
            return committed;
        }
    }

    /** Runs only this benchmark; extra arguments are JMH options such as {@code -t 200}. */
    public static void main(String[] args) throws Exception {
        String[] withInclude = new String[args.length + 1];
        withInclude[0] = SpoolCommitBenchmark.class.getName();
        System.arraycopy(args, 0, withInclude, 1, args.length);
        org.openjdk.jmh.Main.main(withInclude);
    }
}
