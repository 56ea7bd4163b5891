package org.heraldmta.smtp;

/**
 * What an attempt says about the destination as a whole, apart from individual recipients; shaping and the
 * direct-to-relay switch react to it.
 */
public sealed interface DestinationFeedback {

    record Ok() implements DestinationFeedback {
    }

    /** No host of the destination could be used (refused, unreachable, greeting rejected, TLS failed). */
    record HostRefusedUs(String reason) implements DestinationFeedback {
    }

    /** A reply that says "slow down" (421, 4.7.0, rate limit...). */
    record Throttled(String reason) implements DestinationFeedback {
    }
}
