package org.heraldmta.config;

import java.time.Duration;
import java.util.List;

/**
 * The effective delivery settings for one recipient domain (the seed's "Domain name settings").
 *
 * @param directAttempts     passes over the MX list before relay mode; 0 means relay only
 * @param relayAttempts      passes over the relay list after the direct attempts; 0 means never relay
 * @param maxConnections     most connections open at once to the destination
 * @param delayAfterFailure  wait after a temporary failure; the last value repeats for later failures
 * @param maxContinuous      messages sent back to back before a pause of {@code delayForContinuing}
 * @param delayForContinuing pause after {@code maxContinuous} messages (zero: none)
 * @param maxAge             a message older than this bounces
 * @param port               the destination's SMTP port for direct delivery
 */
public record DomainSettings(int directAttempts, int relayAttempts, int maxConnections,
                             List<Duration> delayAfterFailure, int maxContinuous, Duration delayForContinuing,
                             Duration maxAge, int port) {

    public static final DomainSettings DEFAULTS = new DomainSettings(3, 3, 5, List.of(Duration.ofSeconds(60)), 5,
            Duration.ZERO, Duration.ofDays(5), 25);

    public DomainSettings {
        delayAfterFailure = List.copyOf(delayAfterFailure);
        if (delayAfterFailure.isEmpty()) {
            throw new IllegalArgumentException("delay_after_failure needs at least one value");
        }
    }

    /** The wait after the {@code failures}-th temporary failure (1-based); the last value repeats. */
    public Duration delayAfter(int failures) {
        int index = Math.max(0, Math.min(failures, delayAfterFailure.size()) - 1);
        return delayAfterFailure.get(index);
    }
}
