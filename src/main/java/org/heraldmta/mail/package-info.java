/**
 * Values every stage shares: addresses, domains, queue ids, envelopes and SMTP replies.
 *
 * <p>Guarantees: every type here is immutable and validated on construction; nothing here does I/O.
 */
package org.heraldmta.mail;
