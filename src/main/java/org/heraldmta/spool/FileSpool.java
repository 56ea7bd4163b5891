package org.heraldmta.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.heraldmta.mail.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool as an append-only journal with group commit.
 *
 * <p>On disk, under the spool directory:
 * <ul>
 *   <li>{@code journal/segment-NNNNNNNN.log}: records (see {@link RecordHeader}) of three kinds: MESSAGE
 *       (queue id, envelope, recipient states, content), UPDATE (new recipient states, held flag) and REMOVE.
 *       Only the newest segment is appended to; a segment in which nothing counts any more is deleted, and a
 *       lean one is compacted.</li>
 *   <li>{@code incoming/}: content of messages still being received that outgrew the memory threshold.</li>
 *   <li>{@code quarantine/}: damaged journal bytes found by recovery, kept for a person to look at.</li>
 *   <li>{@code lock}: held while open, so that two servers never share a spool.</li>
 * </ul>
 *
 * <p>All writes go through one committer thread that forces the segment once per batch; a call returns when its
 * record is durable. Reads are served from an in-memory index; content is read by position from its segment.
 */
public final class FileSpool implements Spool {

    private static final Logger LOG = LoggerFactory.getLogger(FileSpool.class);

    private enum State { NEW, OPEN, CLOSED }

    private final Path journalDirectory;
    private final Path quarantineDirectory;
    private final Path incomingDirectory;
    private final Path lockFile;
    private final InstantSource clock;
    private final QueueId.Generator ids;
    private final FileSpoolOptions options;
    private final SpoolIndex index = new SpoolIndex();
    private volatile State state = State.NEW;
    private volatile Journal journal;
    private volatile Committer committer;
    private FileChannel lockChannel;

    public FileSpool(Path directory, InstantSource clock, QueueId.Generator ids) {
        this(directory, clock, ids, FileSpoolOptions.defaults());
    }

    public FileSpool(Path directory, InstantSource clock, QueueId.Generator ids, FileSpoolOptions options) {
        this.journalDirectory = directory.resolve("journal");
        this.quarantineDirectory = directory.resolve("quarantine");
        this.incomingDirectory = directory.resolve("incoming");
        this.lockFile = directory.resolve("lock");
        this.clock = clock;
        this.ids = ids;
        this.options = options;
    }

    @Override
    public synchronized RecoveryReport open() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("a FileSpool is opened once");
        }
        Files.createDirectories(journalDirectory);
        Files.createDirectories(quarantineDirectory);
        Files.createDirectories(incomingDirectory);
        lock();
        try {
            removeLeftoverIncoming();
            JournalRecovery.Outcome outcome =
                    new JournalRecovery(journalDirectory, quarantineDirectory, index, clock).recover();
            journal = new Journal(journalDirectory, options.channels(), options.forceListener(),
                    outcome.nextSegment());
            committer = new Committer(journal, index, options);
            committer.start();
            state = State.OPEN;
            compactQuietly();
            return new RecoveryReport(index.size(), outcome.quarantined());
        } catch (IOException | RuntimeException e) {
            if (committer != null) {
                committer.stop();
            }
            unlock();
            throw e;
        }
    }

    @Override
    public IncomingMessage begin() throws SpoolException {
        requireOpen();
        QueueId id = ids.next();
        return new FileIncomingMessage(id, new ContentBuffer(incomingDirectory, id.value(),
                options.memoryThreshold()), committer);
    }

    @Override
    public Collection<SpooledMessage> messages() {
        return index.messages();
    }

    @Override
    public Optional<SpooledMessage> find(QueueId id) {
        SpoolIndex.Entry entry = index.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.message());
    }

    @Override
    public InputStream openContent(QueueId id) throws IOException {
        while (true) {
            SpoolIndex.Entry entry = index.get(id);
            if (entry == null) {
                throw new NoSuchFileException("message " + id + " is not in the spool");
            }
            try {
                FileChannel channel = FileChannel.open(Journal.path(journalDirectory, entry.messageSegment()),
                        StandardOpenOption.READ);
                return new SegmentContentStream(channel, entry.contentOffset(), entry.message().size());
            } catch (NoSuchFileException e) {
                if (index.get(id) == entry) {
                    throw e;
                }
                // compaction moved the message between the lookup and the open: look again
            }
        }
    }

    @Override
    public SpooledMessage update(QueueId id, List<RecipientStatus> recipients, boolean held) throws SpoolException {
        requireOpen();
        CompletableFuture<SpooledMessage> done = new CompletableFuture<>();
        committer.submit(new Committer.Update(id, recipients, held, done));
        return FileIncomingMessage.await(done);
    }

    @Override
    public void remove(QueueId id) throws SpoolException {
        requireOpen();
        CompletableFuture<SpooledMessage> done = new CompletableFuture<>();
        committer.submit(new Committer.Remove(id, done));
        FileIncomingMessage.await(done);
    }

    /**
     * Compacts lean and damaged segments and deletes the ones no longer needed, now. The committer also does this
     * by itself when idle; this is for tests and for an operator who wants the space back at once.
     */
    public void compact() throws SpoolException {
        requireOpen();
        CompletableFuture<Void> done = new CompletableFuture<>();
        committer.submit(new Committer.Compact(done));
        FileIncomingMessage.await(done);
    }

    /** How many times a journal segment was forced to disk: with group commit, far fewer than commits. */
    public long forceCount() {
        Journal j = journal;
        return j == null ? 0 : j.forces();
    }

    @Override
    public synchronized void close() {
        if (state != State.OPEN) {
            state = State.CLOSED;
            return;
        }
        state = State.CLOSED;
        committer.stop();
        journal.close();
        unlock();
    }

    private void requireOpen() throws SpoolException {
        if (state != State.OPEN) {
            throw new SpoolException("the spool is " + (state == State.NEW ? "not open yet" : "closed"));
        }
    }

    private void compactQuietly() {
        try {
            compact();
        } catch (SpoolException e) {
            LOG.warn("could not compact the spool journal at start; will retry while idle", e);
        }
    }

    private void lock() throws IOException {
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("the spool " + lockFile.getParent() + " is in use by another server");
        }
    }

    private void unlock() {
        try {
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release the spool lock", e);
        }
    }

    private void removeLeftoverIncoming() throws IOException {
        try (Stream<Path> files = Files.list(incomingDirectory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
