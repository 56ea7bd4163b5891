package org.heraldmta.config;

import java.util.Locale;

/** The {@code tls} key of a domain rule: how direct delivery to the domain's MX hosts uses STARTTLS. */
public enum DirectTls {
    /** STARTTLS whenever the server offers it; plain text otherwise (certificates are not verified). */
    OPPORTUNISTIC,
    /** A server that does not offer STARTTLS, or fails it, is not used. */
    REQUIRED,
    /** Never STARTTLS, even when offered. */
    OFF;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DirectTls parse(String text) {
        for (DirectTls tls : values()) {
            if (tls.label().equals(text)) {
                return tls;
            }
        }
        throw new IllegalArgumentException("unknown TLS mode");
    }
}
