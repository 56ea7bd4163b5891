/**
 * The durable message store.
 *
 * <p>Guarantees: {@link org.heraldmta.spool.IncomingMessage#commit} returns only after the message and its
 * envelope are on stable storage (fsynced file and directory), so a 250 reply after DATA never loses mail;
 * concurrent commits share fsyncs (group commit). Every state change made through {@link org.heraldmta.spool.Spool}
 * is durable when the call returns. Recovery after a crash returns every committed message exactly as it was; a
 * damaged entry is moved to quarantine and reported, never stopping the start. A failed write (full disk) leaves
 * nothing that recovery would accept, and the spool keeps working once space returns. The spool decides nothing
 * about delivery.
 *
 * <p>{@link org.heraldmta.spool.FileSpool} keeps everything in an append-only journal of segment files. One
 * committer thread writes all records: it takes every request queued, appends one record each, forces the segment
 * once, updates the in-memory index and only then answers the callers. While that force runs the next batch
 * gathers, so 200 sessions that finish together cost a handful of fsyncs. Each record carries a magic number, its
 * lengths and two CRC32C checksums (metadata and content), so recovery can tell a torn last append (cut away) from
 * damage (copied to {@code quarantine/}, reported, scanning resumed at the next valid record). Metadata is a small
 * versioned binary form rather than JSON: it round-trips every field exactly, needs no reflection over the mail
 * records, and leaves the content as raw bytes that {@link org.heraldmta.spool.Spool#openContent} reads by position.
 * Segments in which nothing counts any more are deleted; lean ones are compacted while the committer is idle.
 *
 * <p>Costs: a message being received is held in memory up to {@link org.heraldmta.spool.FileSpoolOptions#memoryThreshold}
 * bytes and in a temp file beyond; the index holds each live message's envelope and recipient states in memory;
 * start-up reads the whole journal once to verify checksums.
 */
package org.heraldmta.spool;
