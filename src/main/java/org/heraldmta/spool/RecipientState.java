package org.heraldmta.spool;

/** Where one recipient of a message stands. Only {@link #PENDING} recipients are still to be delivered. */
public enum RecipientState {
    PENDING,
    DELIVERED,
    BOUNCED,
    EXPIRED,
    DELETED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
