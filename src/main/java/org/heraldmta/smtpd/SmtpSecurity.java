package org.heraldmta.smtpd;

import java.util.Objects;
import java.util.Optional;
import org.heraldmta.auth.Authenticator;
import org.heraldmta.tls.ServerTls;

/**
 * What the server needs for STARTTLS, implicit TLS listeners and AUTH. Without TLS, STARTTLS answers 502 and no
 * implicit TLS listener may be configured; without an authenticator, AUTH answers 502.
 *
 * @param tls           the certificate to present
 * @param authenticator checks AUTH PLAIN and LOGIN credentials
 */
public record SmtpSecurity(Optional<ServerTls> tls, Optional<Authenticator> authenticator) {

    /** No TLS, no AUTH. */
    public static final SmtpSecurity NONE = new SmtpSecurity(Optional.empty(), Optional.empty());

    public SmtpSecurity {
        Objects.requireNonNull(tls);
        Objects.requireNonNull(authenticator);
    }

    public static SmtpSecurity of(ServerTls tls, Authenticator authenticator) {
        return new SmtpSecurity(Optional.of(tls), Optional.of(authenticator));
    }
}
