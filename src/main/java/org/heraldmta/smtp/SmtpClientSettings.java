package org.heraldmta.smtp;

import java.time.Duration;

/**
 * How the outbound SMTP client behaves.
 *
 * @param timeouts            per-step time-outs
 * @param keepIdleConnection  how long a connection stays open after a transaction for the next message to the same
 *                            server (zero: never reused)
 * @param maxAddressesPerAttempt most server addresses (over all MX hosts or relays) one attempt tries, so a domain
 *                            with many dead hosts cannot hold an attempt for hours
 */
public record SmtpClientSettings(SmtpClientTimeouts timeouts, Duration keepIdleConnection,
                                 int maxAddressesPerAttempt) {

    public static final SmtpClientSettings DEFAULTS = new SmtpClientSettings(SmtpClientTimeouts.RFC_5321,
            Duration.ofSeconds(5), 10);

    public SmtpClientSettings {
        if (timeouts == null) {
            throw new IllegalArgumentException("missing time-outs");
        }
        if (keepIdleConnection == null || keepIdleConnection.isNegative()) {
            throw new IllegalArgumentException("keepIdleConnection must be zero or positive");
        }
        if (maxAddressesPerAttempt < 1) {
            throw new IllegalArgumentException("maxAddressesPerAttempt must be at least 1");
        }
    }

    public SmtpClientSettings withTimeouts(SmtpClientTimeouts newTimeouts) {
        return new SmtpClientSettings(newTimeouts, keepIdleConnection, maxAddressesPerAttempt);
    }

    public SmtpClientSettings withKeepIdleConnection(Duration keep) {
        return new SmtpClientSettings(timeouts, keep, maxAddressesPerAttempt);
    }
}
