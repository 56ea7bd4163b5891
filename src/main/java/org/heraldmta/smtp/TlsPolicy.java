package org.heraldmta.smtp;

/** How one connection uses TLS. */
enum TlsPolicy {
    /** Never: a relay with {@code tls = "none"}, or a direct host whose TLS handshake failed in this attempt. */
    NONE,
    /** Direct delivery: STARTTLS whenever offered, certificate not verified; plain text when not offered. */
    OPPORTUNISTIC,
    /** Direct delivery with requireTls: STARTTLS must work, certificate not verified. */
    REQUIRED,
    /** A relay with {@code tls = "starttls"}: STARTTLS must work and the certificate must verify for the host. */
    REQUIRED_VERIFIED,
    /** A relay with {@code tls = "implicit"}: TLS from the first byte, certificate verified. */
    IMPLICIT_VERIFIED;

    boolean wantsStartTls() {
        return this == OPPORTUNISTIC || this == REQUIRED || this == REQUIRED_VERIFIED;
    }

    boolean verifies() {
        return this == REQUIRED_VERIFIED || this == IMPLICIT_VERIFIED;
    }
}
