package org.heraldmta.log;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log as {@code <logDir>/events.jsonl}: one JSON object per line, {@code time} first, then
 * {@code event}, then the fields in the order given.
 *
 * <p>{@link #write} only queues the event; one writer thread turns events into lines and writes them, so a slow
 * disk delays no caller until the queue is full. When it is full, {@link #write} waits for room (back-pressure)
 * rather than dropping lines. The writer flushes at the latest {@code flushInterval} after a line was written; it
 * never fsyncs (the spool, not this log, is what must survive a crash). Lines lost to a failing disk are counted
 * in {@link #lostLines()} and reported through SLF4J.
 *
 * <p>With an {@link EventLogRotation}, the writer thread moves the file aside between two lines once it is big or
 * old enough ({@link RotatingEventFile}); {@link EventReader} reads the moved-aside files too.
 */
public final class JsonlEventLog implements EventLog {

    public static final String FILE_NAME = "events.jsonl";
    public static final int DEFAULT_CAPACITY = 16_384;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(JsonlEventLog.class);

    private sealed interface Item {
    }

    private record Line(Event event) implements Item {
    }

    private record Barrier(CountDownLatch reached) implements Item {
    }

    private record Stop() implements Item {
    }

    /** Where lines go: the (rotating) file, or any writer in tests. Used by the writer thread only. */
    interface LineSink extends AutoCloseable {
        void write(String line) throws IOException;

        void flush() throws IOException;

        @Override
        void close() throws IOException;
    }

    private final BlockingQueue<Item> queue;
    private final LineSink out;
    private final long flushIntervalNanos;
    private final AtomicLong lost = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    /** One file that is never rotated. */
    public JsonlEventLog(Path logDirectory) throws IOException {
        this(logDirectory, DEFAULT_CAPACITY, DEFAULT_FLUSH_INTERVAL);
    }

    public JsonlEventLog(Path logDirectory, int capacity, Duration flushInterval) throws IOException {
        this(logDirectory, EventLogRotation.NEVER, InstantSource.system(), capacity, flushInterval);
    }

    /** A file rotated by {@code rotation}, its age measured on {@code clock}. */
    public JsonlEventLog(Path logDirectory, EventLogRotation rotation, InstantSource clock) throws IOException {
        this(logDirectory, rotation, clock, DEFAULT_CAPACITY, DEFAULT_FLUSH_INTERVAL);
    }

    public JsonlEventLog(Path logDirectory, EventLogRotation rotation, InstantSource clock, int capacity,
            Duration flushInterval) throws IOException {
        this(new RotatingEventFile(logDirectory, rotation, clock), capacity, flushInterval);
    }

    /** Writes to any writer; for tests that need a slow or failing disk. */
    JsonlEventLog(Writer out, int capacity, Duration flushInterval) {
        this(new LineSink() {
            @Override
            public void write(String line) throws IOException {
                out.write(line);
                out.write('\n');
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        }, capacity, flushInterval);
    }

    private JsonlEventLog(LineSink out, int capacity, Duration flushInterval) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = out;
        this.flushIntervalNanos = flushInterval.toNanos();
        this.writer = Thread.ofPlatform().name("event-log-writer").daemon(true).start(this::run);
    }

    /** Queues the event; waits only while the queue is full. Events written after {@link #close} are dropped. */
    @Override
    public void write(Event event) {
        if (closed) {
            LOG.warn("event log closed, dropping event {}", event.event());
            lost.incrementAndGet();
            return;
        }
        if (!putUninterruptibly(new Line(event))) {
            lost.incrementAndGet();
        }
    }

    /** Returns once every event queued before this call is written and flushed to the file. */
    public void flush() {
        if (closed) {
            return;
        }
        CountDownLatch reached = new CountDownLatch(1);
        if (putUninterruptibly(new Barrier(reached))) {
            awaitUninterruptibly(reached);
        }
    }

    /** Lines that could not be written (disk errors, or written after close). */
    public long lostLines() {
        return lost.get();
    }

    /** Writes everything queued, flushes, and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        putUninterruptibly(new Stop());
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long lastFlush = System.nanoTime();
        boolean dirty = false;
        while (true) {
            Item item = dirty ? poll(flushIntervalNanos) : take();
            switch (item) {
                case null -> {
                    dirty = !flushQuietly();
                    lastFlush = System.nanoTime();
                }
                case Line line -> {
                    writeLine(line.event());
                    dirty = true;
                }
                case Barrier barrier -> {
                    dirty = !flushQuietly();
                    lastFlush = System.nanoTime();
                    barrier.reached().countDown();
                }
                case Stop stop -> {
                    flushQuietly();
                    try {
                        out.close();
                    } catch (IOException e) {
                        LOG.warn("cannot close the event log", e);
                    }
                    return;
                }
            }
            if (dirty && System.nanoTime() - lastFlush >= flushIntervalNanos) {
                dirty = !flushQuietly();
                lastFlush = System.nanoTime();
            }
        }
    }

    private void writeLine(Event event) {
        try {
            out.write(JsonValues.eventLine(event));
        } catch (IOException | RuntimeException e) {
            lost.incrementAndGet();
            LOG.error("cannot write event {} to the event log", event.event(), e);
        }
    }

    /** Returns true when the flush succeeded. */
    private boolean flushQuietly() {
        try {
            out.flush();
            return true;
        } catch (IOException e) {
            LOG.error("cannot flush the event log", e);
            return false;
        }
    }

    private Item poll(long nanos) {
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return null;
        }
    }

    private Item take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // only close() ends the writer
            }
        }
    }

    /** Waits for room in the queue; returns false only when the writer has stopped (a race with close). */
    private boolean putUninterruptibly(Item item) {
        boolean interrupted = false;
        boolean queued = false;
        while (!queued && writer.isAlive()) {
            try {
                queued = queue.offer(item, 100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return queued;
    }

    private void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0 && writer.isAlive()) {
            try {
                latch.await(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
