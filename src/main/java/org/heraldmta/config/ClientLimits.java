package org.heraldmta.config;

import java.time.Duration;

/**
 * What one client, and all of them together, may take of the inbound server ({@code [access]} limits).
 *
 * @param maxConnections        SMTP connections open at once, all clients together; more get {@code 421 4.7.0}
 * @param maxConnectionsPerIp   connections open at once from one client address; more get {@code 421 4.7.0}
 * @param maxCommandsPerSession command lines one session may send; then {@code 421 4.7.0} and the connection closes
 * @param maxAuthFailures       failed AUTH attempts from one client address within {@code authFailureWindow};
 *                              the attempt that reaches it, and every later one in the window, waits
 *                              {@code authFailureDelay} and gets {@code 421 4.7.0}
 * @param authFailureWindow     how long a failed AUTH attempt counts against its address
 * @param authFailureDelay      how long the server waits before saying 421 to a password guesser (slows it down
 *                              without holding a platform thread: sessions run on virtual threads)
 */
public record ClientLimits(int maxConnections, int maxConnectionsPerIp, int maxCommandsPerSession,
                           int maxAuthFailures, Duration authFailureWindow, Duration authFailureDelay) {

    public static final ClientLimits DEFAULTS = new ClientLimits(500, 50, 10_000, 5, Duration.ofMinutes(15),
            Duration.ofSeconds(5));

    public ClientLimits {
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || maxCommandsPerSession < 1 || maxAuthFailures < 1) {
            throw new IllegalArgumentException("connection, command and AUTH failure limits must be at least 1");
        }
        if (authFailureWindow.isNegative() || authFailureWindow.isZero() || authFailureDelay.isNegative()) {
            throw new IllegalArgumentException("authFailureWindow must be positive and authFailureDelay not negative");
        }
    }
}
