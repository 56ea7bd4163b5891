package org.heraldmta.smtpd;

import java.time.InstantSource;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.SmtpSettings;
import org.heraldmta.spool.Spool;

/** What every session of one server shares. Immutable; the spool and listener are thread safe. */
record ServerContext(SmtpSettings settings, SessionLimits limits, String hostname, AccessSettings access, Spool spool,
                     InstantSource clock, MessageAcceptedListener listener) {
}
