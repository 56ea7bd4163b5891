package org.heraldmta.spool;

import java.time.Instant;
import org.heraldmta.mail.Address;

/**
 * The stored state of one recipient.
 *
 * @param recipient      the forward path
 * @param state          where it stands
 * @param directAttempts direct attempts made so far
 * @param relayAttempts  relay attempts made so far
 * @param notBefore      earliest time of the next attempt ({@link Instant#EPOCH}: now)
 * @param lastStep       the step of the last attempt that failed or finished ("" before any attempt)
 * @param lastReply      what the other side said last, or why the attempt failed ("" before any attempt)
 */
public record RecipientStatus(Address recipient, RecipientState state, int directAttempts, int relayAttempts,
                              Instant notBefore, String lastStep, String lastReply) {

    public RecipientStatus {
        if (recipient == null || state == null || notBefore == null) {
            throw new IllegalArgumentException("recipient, state and notBefore are required");
        }
        if (directAttempts < 0 || relayAttempts < 0) {
            throw new IllegalArgumentException("attempt counts cannot be negative");
        }
        lastStep = lastStep == null ? "" : lastStep;
        lastReply = lastReply == null ? "" : lastReply;
    }

    public static RecipientStatus pending(Address recipient) {
        return new RecipientStatus(recipient, RecipientState.PENDING, 0, 0, Instant.EPOCH, "", "");
    }

    public int attempts() {
        return directAttempts + relayAttempts;
    }
}
