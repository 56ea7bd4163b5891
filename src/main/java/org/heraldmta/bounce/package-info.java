/**
 * Delivery status notifications (bounces): {@link org.heraldmta.bounce.DsnBuilder} turns a failed message's envelope,
 * its original header section and the per-recipient failures into an RFC 3464 {@code multipart/report} message.
 *
 * <p>Guarantees: the notification has a readable text part, a {@code message/delivery-status} part with
 * Reporting-MTA, Arrival-Date and, for each recipient, Final-Recipient, Action, Status, Remote-MTA (when a server
 * answered), Diagnostic-Code and Last-Attempt-Date, and the original headers as {@code text/rfc822-headers}; it is
 * from {@code MAILER-DAEMON@hostname}, carries {@code Auto-Submitted: auto-replied}, and the same input and clock
 * give the same bytes apart from the MIME boundary. A message from the null sender cannot be given a notification
 * (RFC 5321 §4.5.5). This package builds bytes only: the queue manager stores and sends them.
 */
package org.heraldmta.bounce;
