/**
 * The HTTP sending API, {@code POST /api/v1/messages}: {@link org.heraldmta.submission.MessageSubmission} takes a
 * raw RFC 5322 message with its envelope in the query, a JSON message, or a JSON batch of personalised messages,
 * and queues them in the spool; {@link org.heraldmta.submission.SendingApiHandler} mounts it on a Javalin server.
 * Also here: JSON validation naming the wrong field, MIME composition with Jakarta Mail (Message-ID, Date,
 * alternatives, attachments) and {{name}} placeholders.
 *
 * <p>Guarantees: an accepted message is committed (fsynced) and announced to the listener before the answer; a
 * refused request queues nothing (a batch checks every recipient before it queues the first); the SMTP server's
 * {@code max_message_size} and {@code max_recipients} hold; a batch's recipients are streamed, never all in
 * memory; stored messages have CRLF line ends and Herald's Received field.
 */
package org.heraldmta.submission;
