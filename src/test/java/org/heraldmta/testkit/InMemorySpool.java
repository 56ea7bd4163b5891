package org.heraldmta.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.IncomingMessage;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.RecoveryReport;
import org.heraldmta.spool.Spool;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;

/**
 * A {@link Spool} in memory, for tests in every package. Thread safe; follows the contract of {@link Spool} and
 * {@link IncomingMessage} (nothing of an uncommitted or failed message stays) except that nothing survives the JVM.
 *
 * <p>{@link #diskFull(boolean)} simulates a full disk: {@link #begin()}, writes to content and
 * {@link IncomingMessage#commit} then fail with {@code diskFull()} set, as the file spool's do.
 */
public final class InMemorySpool implements Spool {

    private record Stored(SpooledMessage message, byte[] content) {
    }

    private final QueueId.Generator ids;
    private final Map<QueueId, Stored> stored = new ConcurrentHashMap<>();
    private final AtomicInteger inProgress = new AtomicInteger();
    private volatile boolean diskFull;

    public InMemorySpool() {
        this(InstantSource.system());
    }

    public InMemorySpool(InstantSource clock) {
        this.ids = new QueueId.Generator(clock);
    }

    /** From now on, behave as if the disk were full (true) or had room again (false). */
    public void diskFull(boolean full) {
        diskFull = full;
    }

    /** Messages begun and neither committed nor closed: a test can check that nothing was left open. */
    public int inProgress() {
        return inProgress.get();
    }

    /** The stored content as UTF-8 text. */
    public String contentAsString(QueueId id) {
        return new String(content(id), StandardCharsets.UTF_8);
    }

    public byte[] content(QueueId id) {
        Stored entry = stored.get(id);
        if (entry == null) {
            throw new IllegalArgumentException("no message " + id);
        }
        return entry.content().clone();
    }

    @Override
    public RecoveryReport open() {
        return new RecoveryReport(stored.size(), List.of());
    }

    @Override
    public IncomingMessage begin() throws SpoolException {
        if (diskFull) {
            throw new SpoolException("No space left on device (simulated)", true, null);
        }
        inProgress.incrementAndGet();
        return new Incoming(ids.next());
    }

    @Override
    public Collection<SpooledMessage> messages() {
        return stored.values().stream().map(Stored::message).sorted(Comparator.comparing(SpooledMessage::id))
                .toList();
    }

    @Override
    public Optional<SpooledMessage> find(QueueId id) {
        return Optional.ofNullable(stored.get(id)).map(Stored::message);
    }

    @Override
    public InputStream openContent(QueueId id) throws IOException {
        Stored entry = stored.get(id);
        if (entry == null) {
            throw new IOException("no message " + id);
        }
        return new ByteArrayInputStream(entry.content());
    }

    @Override
    public SpooledMessage update(QueueId id, List<RecipientStatus> recipients, boolean held) throws SpoolException {
        Stored[] result = new Stored[1];
        stored.computeIfPresent(id, (key, old) -> {
            SpooledMessage m = old.message();
            result[0] = new Stored(new SpooledMessage(id, m.envelope(), m.size(), recipients, held), old.content());
            return result[0];
        });
        if (result[0] == null) {
            throw new SpoolException("no message " + id);
        }
        return result[0].message();
    }

    @Override
    public void remove(QueueId id) throws SpoolException {
        if (stored.remove(id) == null) {
            throw new SpoolException("no message " + id);
        }
    }

    @Override
    public void close() {
    }

    private final class Incoming implements IncomingMessage {
        private final QueueId id;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final OutputStream content = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (finished) {
                    throw new IOException("message " + id + " is already committed or closed");
                }
                if (diskFull) {
                    throw new IOException("No space left on device (simulated)",
                            new SpoolException("disk full", true, null));
                }
                bytes.write(b, off, len);
            }
        };
        private boolean finished;

        Incoming(QueueId id) {
            this.id = id;
        }

        @Override
        public QueueId id() {
            return id;
        }

        @Override
        public OutputStream content() {
            return content;
        }

        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public SpooledMessage commit(Envelope envelope) throws SpoolException {
            if (finished) {
                throw new IllegalStateException("message " + id + " is already committed or closed");
            }
            if (diskFull) {
                close();
                throw new SpoolException("No space left on device (simulated)", true, null);
            }
            SpooledMessage message = new SpooledMessage(id, envelope, bytes.size(),
                    envelope.recipients().stream().map(RecipientStatus::pending).toList(), false);
            stored.put(id, new Stored(message, bytes.toByteArray()));
            finished = true;
            inProgress.decrementAndGet();
            return message;
        }

        @Override
        public void close() {
            if (!finished) {
                finished = true;
                inProgress.decrementAndGet();
            }
        }
    }
}
