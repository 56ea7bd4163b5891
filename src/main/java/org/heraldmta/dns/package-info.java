/**
 * DNS for delivery: a domain's MX hosts (RFC 5321 §5.1: in preference order, equal preferences shuffled, implicit
 * MX when there is none, RFC 7505 null MX) and the IPv4/IPv6 addresses of a host.
 *
 * <p>Guarantees: answers are sealed values, never exceptions; NXDOMAIN is a permanent answer, SERVFAIL, time-outs and
 * malformed responses are temporary ones; positive and negative answers are cached for their TTL (negative ones for
 * the SOA minimum, RFC 2308) on an injected clock; the JDK's name resolver is never used. It must not know about
 * SMTP.
 */
package org.heraldmta.dns;
