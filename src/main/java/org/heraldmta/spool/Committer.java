package org.heraldmta.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.heraldmta.mail.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the journal: group commit. Callers queue a request and wait on its future; the committer
 * takes everything queued, appends one record per request, forces the segment once for all of them, updates the
 * index and only then completes the futures. While one force runs, the next batch gathers, so the number of
 * forces follows the disk's speed, not the number of sessions.
 *
 * <p>It runs on a platform thread: it spends its life in blocking file I/O, which on a virtual thread would only
 * pin a carrier, and it must never be interrupted (an interrupt closes a {@code FileChannel}).
 */
final class Committer {

    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    private static final long IDLE_POLL_MILLIS = 200;
    private static final long COMPACTION_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

    sealed interface Request {
    }

    record Commit(SpooledMessage message, ContentSource content, CompletableFuture<SpooledMessage> done)
            implements Request {
    }

    record Update(QueueId id, List<RecipientStatus> recipients, boolean held,
                  CompletableFuture<SpooledMessage> done) implements Request {
    }

    record Remove(QueueId id, CompletableFuture<SpooledMessage> done) implements Request {
    }

    /** Compact every candidate segment now and delete what is no longer needed. */
    record Compact(CompletableFuture<Void> done) implements Request {
    }

    private record Stop() implements Request {
    }

    /** A record appended in this batch, waiting for the force. */
    private record Written(Request request, JournalRecord record, SpooledMessage result, long offset, int metaLength,
                           int contentCrc) {
        long recordBytes() {
            long content = record instanceof JournalRecord.Message m ? m.message().size() : 0;
            return RecordHeader.BYTES + (long) metaLength + content;
        }
    }

    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Journal journal;
    private final SpoolIndex index;
    private final Compactor compactor;
    private final Thread thread;
    private boolean stopping;
    private boolean compactionPaused;
    private long compactionPausedAt;

    Committer(Journal journal, SpoolIndex index, FileSpoolOptions options) {
        this.journal = journal;
        this.index = index;
        this.compactor = new Compactor(journal, index, options);
        this.thread = Thread.ofPlatform().name("spool-committer").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues a request; its future completes once the record is durable (or failed). */
    void submit(Request request) throws SpoolException {
        synchronized (queue) {
            if (stopping) {
                throw new SpoolException("the spool is closed");
            }
            queue.add(request);
        }
    }

    /** Finishes what is queued, then stops. */
    void stop() {
        synchronized (queue) {
            if (stopping) {
                return;
            }
            stopping = true;
            queue.add(new Stop());
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean running = true;
        while (running) {
            Request first = next();
            if (first == null) {
                compactWhileIdle();
                continue;
            }
            List<Request> batch = new ArrayList<>();
            batch.add(first);
            queue.drainTo(batch);
            running = batch.stream().noneMatch(r -> r instanceof Stop);
            try {
                commit(batch);
            } catch (RuntimeException | Error e) {
                LOG.error("spool committer failed on a batch", e);
                batch.forEach(r -> fail(r, new IOException("internal error in the spool committer", e)));
            }
        }
    }

    private Request next() {
        try {
            return queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return null;
        }
    }

    private void commit(List<Request> batch) {
        Map<QueueId, Optional<SpooledMessage>> changedInBatch = new HashMap<>();
        List<Written> written = new ArrayList<>();
        List<Compact> compactions = new ArrayList<>();
        long batchStart = journal.size();
        for (int i = 0; i < batch.size(); i++) {
            Request request = batch.get(i);
            if (request instanceof Compact c) {
                compactions.add(c);
                continue;
            }
            if (request instanceof Stop) {
                continue;
            }
            try {
                Written w = append(request, changedInBatch);
                if (w != null) {
                    written.add(w);
                    changedInBatch.put(w.record().id(),
                            w.record() instanceof JournalRecord.Remove ? Optional.empty() : Optional.of(w.result()));
                }
            } catch (IOException e) {
                fail(request, e);
                if (journal.broken()) {
                    // the segment is abandoned: what this batch wrote there cannot be vouched for
                    written.forEach(w -> fail(w.request(), e));
                    batch.subList(i + 1, batch.size()).forEach(r -> fail(r, e));
                    return;
                }
            }
        }
        if (!written.isEmpty()) {
            try {
                journal.force();
            } catch (IOException e) {
                journal.rollbackTo(batchStart);
                written.forEach(w -> fail(w.request(), e));
                return;
            }
            long segment = journal.activeNumber();
            for (Written w : written) {
                apply(w, segment);
            }
            index.sized(segment, journal.size());
            compactor.rotateIfFull();
            compactor.deleteUnneeded();
        }
        compactions.forEach(this::compactAll);
    }

    /** Appends the record for one request, or fails the request and returns null when it is invalid. */
    private Written append(Request request, Map<QueueId, Optional<SpooledMessage>> changedInBatch)
            throws IOException {
        JournalRecord record;
        SpooledMessage result;
        ContentSource content = ContentSource.NONE;
        switch (request) {
            case Commit c -> {
                record = new JournalRecord.Message(c.message());
                result = c.message();
                content = c.content();
            }
            case Update u -> {
                Optional<SpooledMessage> current = current(u.id(), changedInBatch);
                if (current.isEmpty()) {
                    u.done().completeExceptionally(new SpoolException("unknown queue id " + u.id()));
                    return null;
                }
                try {
                    result = new SpooledMessage(u.id(), current.get().envelope(), current.get().size(),
                            u.recipients(), u.held());
                } catch (IllegalArgumentException e) {
                    u.done().completeExceptionally(e);
                    return null;
                }
                record = new JournalRecord.Update(u.id(), u.recipients(), u.held());
            }
            case Remove r -> {
                Optional<SpooledMessage> current = current(r.id(), changedInBatch);
                if (current.isEmpty()) {
                    r.done().completeExceptionally(new SpoolException("unknown queue id " + r.id()));
                    return null;
                }
                record = new JournalRecord.Remove(r.id());
                result = current.get();
            }
            case Compact c -> throw new IllegalStateException("handled by the caller");
            case Stop s -> throw new IllegalStateException("handled by the caller");
        }
        byte[] meta = MetaCodec.encode(record);
        ByteBuffer head = RecordHeader.encode(record.type(), meta, content.length(), content.crc());
        long offset = journal.append(head, content);
        return new Written(request, record, result, offset, meta.length, content.crc());
    }

    private Optional<SpooledMessage> current(QueueId id, Map<QueueId, Optional<SpooledMessage>> changedInBatch) {
        Optional<SpooledMessage> changed = changedInBatch.get(id);
        if (changed != null) {
            return changed;
        }
        SpoolIndex.Entry entry = index.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.message());
    }

    private void apply(Written w, long segment) {
        switch (w.record()) {
            case JournalRecord.Message m -> index.message(m.message(), segment, w.offset(), w.metaLength(),
                    w.contentCrc());
            case JournalRecord.Update u -> index.update(u, segment, w.recordBytes());
            case JournalRecord.Remove r -> index.remove(r.id(), segment, w.recordBytes());
        }
        switch (w.request()) {
            case Commit c -> c.done().complete(w.result());
            case Update u -> u.done().complete(w.result());
            case Remove r -> r.done().complete(w.result());
            default -> throw new IllegalStateException("not a write: " + w.request());
        }
    }

    private void compactAll(Compact request) {
        try {
            compactor.compactAll();
            compactor.deleteUnneeded();
            request.done().complete(null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("journal compaction failed", e);
            request.done().completeExceptionally(e);
        }
    }

    private void compactWhileIdle() {
        if (compactionPaused && System.nanoTime() - compactionPausedAt < COMPACTION_BACKOFF_NANOS) {
            return;
        }
        compactionPaused = false;
        try {
            while (queue.isEmpty() && compactor.compactSome(() -> !queue.isEmpty())) {
                // one burst per candidate until commits arrive or nothing is left
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("journal compaction failed, pausing it: {}", e.toString());
            compactionPaused = true;
            compactionPausedAt = System.nanoTime();
        }
    }

    private static void fail(Request request, IOException cause) {
        switch (request) {
            case Commit c -> c.done().completeExceptionally(
                    DiskFull.spoolException("cannot store message " + c.message().id(), cause));
            case Update u -> u.done().completeExceptionally(
                    DiskFull.spoolException("cannot update message " + u.id(), cause));
            case Remove r -> r.done().completeExceptionally(
                    DiskFull.spoolException("cannot remove message " + r.id(), cause));
            case Compact c -> c.done().completeExceptionally(cause);
            case Stop s -> {
                // nothing waits for it
            }
        }
    }
}
