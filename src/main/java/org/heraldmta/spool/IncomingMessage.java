package org.heraldmta.spool;

import java.io.OutputStream;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;

/**
 * A message being received. Write its content to {@link #content()}, then {@link #commit} it; or
 * {@link #close()} without committing to throw it away (nothing of it stays on disk).
 * Used by one thread at a time.
 */
public interface IncomingMessage extends AutoCloseable {

    QueueId id();

    /** Where the message content goes, exactly as it should be delivered (CRLF line ends, dots unstuffed). */
    OutputStream content();

    /** Bytes written so far. */
    long size();

    /**
     * Makes the message durable: returns only when content and envelope are fsynced.
     *
     * @throws SpoolException when the disk is full or a write fails; nothing of the message stays then
     */
    SpooledMessage commit(Envelope envelope) throws SpoolException;

    /** Discards the message unless it was committed. */
    @Override
    void close();
}
