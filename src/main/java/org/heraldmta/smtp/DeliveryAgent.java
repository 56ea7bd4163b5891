package org.heraldmta.smtp;

/**
 * Makes one delivery attempt. Blocking; called on a virtual thread per attempt. Thread safe.
 * Never throws for anything the network or the peer does: every failure becomes an outcome.
 */
@FunctionalInterface
public interface DeliveryAgent {
    DeliveryReport deliver(DeliveryRequest request);
}
