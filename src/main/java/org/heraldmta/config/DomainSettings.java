package org.heraldmta.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The effective delivery settings for one recipient domain (the seed's "Domain name settings" and the shaping
 * keys beyond them). Each component is one key of a {@code [domains.*]} or {@code [mx.*]} table (see
 * {@link DomainKey}).
 *
 * @param directAttempts           passes over the MX list before relay mode; 0 means relay only
 * @param relayAttempts            passes over the relay list after the direct attempts; 0 means never relay
 * @param maxConnections           most connections open at once to the destination
 * @param delayAfterFailure        wait after a temporary failure; the last value repeats for later failures
 * @param maxContinuous            messages sent back to back before a pause of {@code delayForContinuing}
 * @param delayForContinuing       pause after {@code maxContinuous} messages (zero: none)
 * @param maxAge                   a message older than this bounces
 * @param port                     the destination's SMTP port for direct delivery
 * @param maxMessagesPerConnection most messages sent over one connection before it is closed
 * @param maxMessageRate           most messages started per time, evenly spaced (empty: no limit)
 * @param maxConnectionRate        most new connections per time, evenly spaced (empty: no limit)
 * @param heloName                 the name given in EHLO/HELO (empty: the server's hostname)
 * @param sourceAddress            the local IP address outgoing connections bind to (empty: the system's choice)
 * @param tls                      STARTTLS use for direct delivery
 * @param throttleReplies          replies (code, enhanced code or text, case-insensitive) that pause the destination
 * @param throttlePause            how long such a reply pauses the whole destination
 */
public record DomainSettings(int directAttempts, int relayAttempts, int maxConnections,
                             List<Duration> delayAfterFailure, int maxContinuous, Duration delayForContinuing,
                             Duration maxAge, int port, int maxMessagesPerConnection, Optional<Rate> maxMessageRate,
                             Optional<Rate> maxConnectionRate, Optional<String> heloName,
                             Optional<String> sourceAddress, DirectTls tls, List<String> throttleReplies,
                             Duration throttlePause) {

    public static final DomainSettings DEFAULTS = new DomainSettings(3, 3, 5, List.of(Duration.ofSeconds(60)), 5,
            Duration.ZERO, Duration.ofDays(5), 25, 100, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), DirectTls.OPPORTUNISTIC, List.of(), Duration.ofMinutes(15));

    public DomainSettings {
        delayAfterFailure = List.copyOf(delayAfterFailure);
        throttleReplies = List.copyOf(throttleReplies);
        if (delayAfterFailure.isEmpty()) {
            throw new IllegalArgumentException("delay_after_failure needs at least one value");
        }
    }

    /** The seed's eight keys; the others take their built-in defaults. */
    public DomainSettings(int directAttempts, int relayAttempts, int maxConnections, List<Duration> delayAfterFailure,
                          int maxContinuous, Duration delayForContinuing, Duration maxAge, int port) {
        this(directAttempts, relayAttempts, maxConnections, delayAfterFailure, maxContinuous, delayForContinuing,
                maxAge, port, DEFAULTS.maxMessagesPerConnection, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), DirectTls.OPPORTUNISTIC, List.of(), Duration.ofMinutes(15));
    }

    /** The wait after the {@code failures}-th temporary failure (1-based); the last value repeats. */
    public Duration delayAfter(int failures) {
        int index = Math.max(0, Math.min(failures, delayAfterFailure.size()) - 1);
        return delayAfterFailure.get(index);
    }

    /** These settings with {@code key} set to {@code value} (of the key's type). */
    public DomainSettings with(DomainKey key, Object value) {
        return DomainOverrides.of(java.util.Map.of(key, value)).applyTo(this);
    }
}
