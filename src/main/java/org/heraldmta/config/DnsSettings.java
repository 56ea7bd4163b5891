package org.heraldmta.config;

import java.time.Duration;
import java.util.List;

/** Which resolvers Herald asks ({@code [dns]}); empty servers means the system's. */
public record DnsSettings(List<ListenAddress> servers, Duration timeout) {

    public static final DnsSettings DEFAULTS = new DnsSettings(List.of(), Duration.ofSeconds(5));

    public DnsSettings {
        servers = List.copyOf(servers);
    }
}
