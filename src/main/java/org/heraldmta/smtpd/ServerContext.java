package org.heraldmta.smtpd;

import java.time.InstantSource;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.SmtpSettings;
import org.heraldmta.spool.Spool;

/**
 * What every session of one server shares. The fields are immutable or thread safe (the spool, the listener, the
 * authenticator and the AUTH failure counts).
 */
record ServerContext(SmtpSettings settings, SessionLimits limits, String hostname, AccessSettings access,
                     SmtpSecurity security, AuthFailures authFailures, Spool spool, InstantSource clock,
                     MessageAcceptedListener listener) {

    /**
     * AUTH is offered on a connection with TLS, or without it when the connection arrived on a loopback address and
     * {@code auth_without_tls_on_loopback} says so (the password then never crosses a network).
     */
    boolean authOffered(SessionState state) {
        return security.authenticator().isPresent()
                && (state.tls() || (settings.authWithoutTlsOnLoopback() && state.localAddress().isLoopbackAddress()));
    }

    boolean startTlsOffered(SessionState state) {
        return security.tls().isPresent() && !state.tls();
    }
}
