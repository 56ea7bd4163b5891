package org.heraldmta.spool;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.heraldmta.mail.QueueId;

/**
 * The durable message store. Thread safe.
 *
 * <p>Call order: {@link #open()} once (it recovers what is on disk), then any number of concurrent
 * {@link #begin()} / {@link #update} / {@link #remove} calls, then {@link #close()}.
 */
public interface Spool extends AutoCloseable {

    /** Recovers the spool from disk. Damaged entries are quarantined and listed in the result. */
    RecoveryReport open() throws IOException;

    /** Starts receiving a message; the id is assigned now so that it can appear in the Received header. */
    IncomingMessage begin() throws SpoolException;

    /** Every message currently in the spool. */
    Collection<SpooledMessage> messages();

    Optional<SpooledMessage> find(QueueId id);

    /** The stored content (the RFC 5322 message as accepted, with Herald's added headers), from its first byte. */
    InputStream openContent(QueueId id) throws IOException;

    /**
     * Durably records new recipient states (and the held flag) for a message. Returns when fsynced.
     *
     * @throws SpoolException when the message is unknown or the write fails
     */
    SpooledMessage update(QueueId id, List<RecipientStatus> recipients, boolean held) throws SpoolException;

    /** Durably removes a message (all recipients final, or deleted by an operator). */
    void remove(QueueId id) throws SpoolException;

    @Override
    void close() throws IOException;
}
