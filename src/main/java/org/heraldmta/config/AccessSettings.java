package org.heraldmta.config;

import java.net.InetAddress;
import java.util.List;

/** Who may relay through Herald without authentication ({@code [access] allow}). */
public record AccessSettings(List<Cidr> allow) {

    public static final AccessSettings DEFAULTS =
            new AccessSettings(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")));

    public AccessSettings {
        allow = List.copyOf(allow);
    }

    public boolean mayRelay(InetAddress client) {
        return allow.stream().anyMatch(block -> block.contains(client));
    }
}
