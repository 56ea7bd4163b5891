/**
 * The durable message store.
 *
 * <p>Guarantees: {@link org.heraldmta.spool.IncomingMessage#commit} returns only after the message and its
 * envelope are on stable storage (fsynced file and directory), so a 250 reply after DATA never loses mail;
 * concurrent commits share fsyncs (group commit). Every state change made through {@link org.heraldmta.spool.Spool}
 * is durable when the call returns. Recovery after a crash returns every committed message exactly as it was; a
 * damaged entry is moved to quarantine and reported, never stopping the start. The spool decides nothing about
 * delivery.
 */
package org.heraldmta.spool;
