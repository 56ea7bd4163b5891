/**
 * The event log ({@code <data_dir>/log/events.jsonl}, one JSON object per line) and the per-attempt transcripts
 * kept for the delivery log.
 *
 * <p>{@link org.heraldmta.log.JsonlEventLog} writes events as {@code {"time":"…Z","event":"…",fields…}}, time and
 * event first, fields in the order given, and rotates it by size and age ({@link org.heraldmta.log.EventLogRotation}:
 * the writer thread renames it to {@code events.<UTC time>.jsonl} between two lines and opens a new one, so no line
 * is lost or split). {@link org.heraldmta.log.EventReader} reads a message's events back, rotated files included.
 * {@link org.heraldmta.log.TranscriptStore} keeps every attempt's transcript in a file per message.
 *
 * <p>Guarantees: {@link org.heraldmta.log.EventLog#write} only queues the event (a single writer thread does the
 * I/O), so a slow disk blocks a delivery only once a large queue is full; lines are never dropped to make room.
 * Every line is a complete JSON object: it is formatted in memory before any of it is written, and readers skip
 * a line cut short by a crash. Neither file is fsynced: the spool, not the log, is what a client's 250 depends on.
 * Transcripts outlive the message in the spool so that {@code herald log ID} can show a finished message. This
 * package depends on nothing but {@code mail}, so that every stage may write to it.
 */
package org.heraldmta.log;
