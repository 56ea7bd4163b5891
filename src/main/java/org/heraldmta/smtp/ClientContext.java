package org.heraldmta.smtp;

import javax.net.ssl.SSLContext;

/**
 * What every host session of one agent shares: time-outs, the connection pool, the write watchdog, and the TLS
 * contexts (one verifying relay certificates, one accepting any certificate for opportunistic direct delivery), and
 * the pacing of new connections under {@code max_connection_rate}.
 */
record ClientContext(SmtpClientTimeouts timeouts, ConnectionPool pool, WriteWatchdog watchdog, SSLContext verifying,
                     SSLContext opportunistic, ConnectionPacer pacer) {
}
