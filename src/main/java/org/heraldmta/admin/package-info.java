/**
 * The HTTP admin API ({@code /api/v1/...}, JSON), the web console's assets and Prometheus {@code /metrics}, served
 * on {@code [admin] listen} by {@link org.heraldmta.admin.AdminServer}; the contract is docs/API.md.
 *
 * <p>Guarantees: on a non-loopback address the server refuses to start without {@code [admin] token}, and with a
 * token every request needs it ({@code Authorization: Bearer}, compared in constant time, never logged); a request
 * whose {@code Host} names the server by anything but an address or {@code localhost} is refused (DNS
 * rebinding); a state-changing request from another site ({@code Sec-Fetch-Site}, {@code Origin}) is refused.
 * The server keeps no state of its own: answers come from the queue manager, the spool, the event log and
 * transcripts, and the running configuration. {@link org.heraldmta.admin.MeteredEventLog} feeds the counters, the
 * per-minute timeline and the live tail from the event stream; all of it is bounded in memory, and a slow browser
 * never holds up a delivery. Rules edits are validated by the same loader as at start and written atomically,
 * keeping the rest of the file as it was.
 */
package org.heraldmta.admin;
