/**
 * The outbound SMTP client: one delivery attempt of one message over one route (a pass over a domain's MX hosts, or
 * over the relay list), with a result for every recipient and a transcript of every step.
 *
 * <p>{@link org.heraldmta.smtp.SmtpDeliveryAgent} is the implementation of the {@link
 * org.heraldmta.smtp.DeliveryAgent} contract. Direct delivery resolves the MX hosts through {@code dns} (null MX and
 * NXDOMAIN bounce at the dns step, DNS trouble defers), then tries every IPv4 and IPv6 address of each host in order
 * until one takes the transaction, with opportunistic STARTTLS (certificate not verified, plain text on a new
 * connection if the handshake fails). Relay delivery tries the relays in order with their TLS mode (STARTTLS
 * required or TLS from the first byte, certificate verified) and AUTH PLAIN or LOGIN. The session uses EHLO (HELO on a
 * 5xx), PIPELINING, SIZE (a message over the limit bounces with 5.3.4 unsent), BODY=8BITMIME and SMTPUTF8 (needed but
 * not offered bounces with 5.6.7), dot-stuffing with CRLF line ends, the time-outs of RFC 5321 §4.5.3.2, and keeps
 * a connection open a few seconds for the next message to the same server (RSET first).
 *
 * <p>Guarantees: an attempt always ends with an outcome for each recipient it was given, whatever the peer does;
 * AUTH secrets never appear in a transcript; replies are bounded (4 KB a line, 100 lines, a deadline per reply) and
 * writes too (a watchdog closes a connection whose server stops reading); once the content has been sent to a
 * server, no other server is tried in the same attempt. A 5xx to the greeting, EHLO or MAIL from every usable server,
 * or a reply naming a block list, reputation or policy, bounces with {@code blamesSender} so the planner can switch
 * to relay mode. It must not schedule or retry: that is {@code qmgr}'s job.
 */
package org.heraldmta.smtp;
