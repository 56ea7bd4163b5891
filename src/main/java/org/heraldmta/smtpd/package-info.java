/**
 * The inbound ESMTP server (RFC 5321): {@link org.heraldmta.smtpd.SmtpServer} listens, one
 * {@link org.heraldmta.smtpd.SmtpSession} per connection runs on a virtual thread over plain blocking sockets, and a
 * small handler per command (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, HELP) answers it.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A 250 reply after DATA is sent only after {@link org.heraldmta.spool.IncomingMessage#commit} returned, and
 *       the {@link org.heraldmta.smtpd.MessageAcceptedListener} has been called before it. A full disk answers
 *       {@code 452 4.3.1}, any other spool failure {@code 451 4.3.0}; nothing of such a message stays.</li>
 *   <li>Memory per session is bounded whatever the client sends: command lines are read with a bound (512 octets,
 *       {@code 500 5.5.2} for longer ones, after which the session goes on), the header section is held up to a
 *       bound, and the rest of a message streams to the spool. A message over the size limit is read to its end
 *       and discarded ({@code 552 5.3.4}).</li>
 *   <li>End of data is recognised only as CRLF.CRLF. A bare CR, bare LF or NUL in a message refuses it with
 *       {@code 554 5.6.0} once its real end has been read, so no SMTP smuggling variant can slip a second message or
 *       command past the server. Command lines must end in CRLF too. Lines of more than 1000 octets in a message
 *       are accepted, as Postfix does.</li>
 *   <li>A stalled client gets {@code 421 4.4.2} after the command or data timeout; one that stops reading replies
 *       is cut after the command timeout; one that provokes 20 error replies gets {@code 421 4.7.0}. Each affects
 *       only its own session.</li>
 *   <li>Every error reply carries an enhanced status code (RFC 3463). Client addresses are never looked up: the
 *       Received field names the client by its HELO name and IP literal.</li>
 *   <li>The server writes no files itself; only the spool does.</li>
 * </ul>
 */
package org.heraldmta.smtpd;
