/**
 * Messages that arrive as JSON through the HTTP sending API: validation naming the wrong field, MIME composition
 * with Jakarta Mail (Message-ID, Date, alternatives, attachments), and {{name}} placeholders for personalised
 * batches.
 *
 * <p>Guarantees: a composed message is a correct RFC 5322 / MIME message with CRLF line ends; nothing here does
 * network I/O or touches the spool.
 */
package org.heraldmta.submission;
