/**
 * The outbound SMTP client: one delivery attempt of one message over one route (a pass over a domain's MX hosts, or
 * over the relay list), with a result for every recipient and a transcript of every step.
 *
 * <p>Guarantees: an attempt always ends with an outcome for each recipient it was given, whatever the peer does;
 * AUTH secrets never appear in a transcript. It must not schedule or retry: that is {@code qmgr}'s job.
 */
package org.heraldmta.smtp;
