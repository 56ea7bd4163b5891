package org.heraldmta.config;

/** How Herald talks TLS to a relay: not at all, STARTTLS required, or TLS from the first byte. */
public enum RelayTls {
    NONE, STARTTLS, IMPLICIT
}
