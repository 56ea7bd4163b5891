package org.heraldmta.bounce;

import java.util.Locale;

/** The RFC 3464 §2.3.3 Action of one recipient in a delivery status notification. */
public enum DsnAction {
    /** Delivery failed for good: the recipient will not get the message. */
    FAILED,
    /** Delivery has not succeeded yet and will be tried again (a warning, not a bounce). */
    DELAYED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
