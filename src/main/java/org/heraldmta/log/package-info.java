/**
 * The event log ({@code <data_dir>/log/events.jsonl}, one JSON object per line) and the per-attempt transcripts
 * kept for the delivery log.
 *
 * <p>Guarantees: writing an event never blocks a delivery on a slow disk for long; every line is a complete JSON
 * object; transcripts outlive the message in the spool so that {@code herald log ID} can show a finished message.
 */
package org.heraldmta.log;
