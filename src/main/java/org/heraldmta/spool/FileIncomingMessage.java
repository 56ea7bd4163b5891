package org.heraldmta.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;

/**
 * A message being received into a {@link FileSpool}.
 *
 * <p>Its content stream never throws for lack of space: the first write failure is remembered, later bytes are
 * dropped, and {@link #commit} reports it as a {@link SpoolException} (with {@code diskFull} when that was the
 * cause). So an SMTP session can read DATA to its end and then answer 452 4.3.1, instead of breaking off mid-way.
 */
final class FileIncomingMessage implements IncomingMessage {

    private enum Stage { RECEIVING, COMMITTED, DISCARDED }

    private final QueueId id;
    private final ContentBuffer buffer;
    private final Committer committer;
    private final OutputStream content = new ContentStream();
    private IOException writeFailure;
    private Stage stage = Stage.RECEIVING;

    FileIncomingMessage(QueueId id, ContentBuffer buffer, Committer committer) {
        this.id = id;
        this.buffer = buffer;
        this.committer = committer;
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
        return buffer.size();
    }

    @Override
    public SpooledMessage commit(Envelope envelope) throws SpoolException {
        if (stage != Stage.RECEIVING) {
            throw new IllegalStateException("message " + id + " was already " + stage.name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            if (writeFailure != null) {
                throw DiskFull.spoolException("cannot store message " + id, writeFailure);
            }
            SpooledMessage message = new SpooledMessage(id, envelope, buffer.size(),
                    envelope.recipients().stream().map(RecipientStatus::pending).toList(), false);
            CompletableFuture<SpooledMessage> done = new CompletableFuture<>();
            committer.submit(new Committer.Commit(message, buffer.source(), done));
            SpooledMessage committed = await(done);
            stage = Stage.COMMITTED;
            return committed;
        } catch (IOException e) {
            throw DiskFull.spoolException("cannot store message " + id, e);
        } finally {
            if (stage != Stage.COMMITTED) {
                stage = Stage.DISCARDED;
            }
            buffer.discard();
        }
    }

    @Override
    public void close() {
        if (stage == Stage.RECEIVING) {
            stage = Stage.DISCARDED;
            buffer.discard();
        }
    }

    /** Waits for the committer without giving up early: once queued, the outcome must be known. */
    static <T> T await(CompletableFuture<T> done) throws SpoolException {
        try {
            return done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SpoolException se) {
                throw new SpoolException(se.getMessage(), se.diskFull(), se);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new SpoolException(String.valueOf(cause), false, cause);
        }
    }

    private final class ContentStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (stage != Stage.RECEIVING) {
                throw new IOException("message " + id + " is no longer being received");
            }
            if (writeFailure != null) {
                return;
            }
            try {
                buffer.write(bytes, offset, length);
            } catch (IOException e) {
                writeFailure = e;
            }
        }
    }
}
