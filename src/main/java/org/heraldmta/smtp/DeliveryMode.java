package org.heraldmta.smtp;

import java.util.Locale;

/** Direct delivery to the recipient domain's MX hosts, or through the configured relay servers. */
public enum DeliveryMode {
    DIRECT, RELAY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
