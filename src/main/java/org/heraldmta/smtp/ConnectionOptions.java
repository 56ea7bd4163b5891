package org.heraldmta.smtp;

import java.util.Optional;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.config.Rate;

/**
 * How an attempt's connections are made, from the destination's settings.
 *
 * @param destination              the shaping destination (domain or MX rule) whose connections
 *                                 {@code connectionRate} counts together
 * @param sourceAddress            the local IP literal outgoing sockets bind to (empty: the system's choice)
 * @param maxMessagesPerConnection a connection is closed after this many transactions instead of being reused
 * @param connectionRate           most new connections per time to the destination, evenly spaced
 */
public record ConnectionOptions(String destination, Optional<String> sourceAddress, int maxMessagesPerConnection,
                                Optional<Rate> connectionRate) {

    public static final ConnectionOptions DEFAULTS = new ConnectionOptions("", Optional.empty(), 100,
            Optional.empty());

    public ConnectionOptions {
        if (maxMessagesPerConnection < 1) {
            throw new IllegalArgumentException("maxMessagesPerConnection must be at least 1");
        }
        if (sourceAddress.isPresent() && !IpLiterals.isLiteral(sourceAddress.get())) {
            throw new IllegalArgumentException("source address must be an IP literal: " + sourceAddress.get());
        }
    }
}
