package org.heraldmta.config;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * One rule of {@code [access] rules}: allow or deny relaying for clients in an address block.
 *
 * @param action what a client in the block may do
 * @param block  the client addresses the rule is about
 */
public record AccessRule(Action action, Cidr block) {

    public enum Action {
        ALLOW, DENY
    }

    public AccessRule {
        Objects.requireNonNull(action);
        Objects.requireNonNull(block);
    }

    public static AccessRule allow(Cidr block) {
        return new AccessRule(Action.ALLOW, block);
    }

    public static AccessRule deny(Cidr block) {
        return new AccessRule(Action.DENY, block);
    }

    public boolean matches(InetAddress client) {
        return block.contains(client);
    }

    /** {@code allow 127.0.0.0/8}, as it appears in log lines and replies. */
    @Override
    public String toString() {
        return action.name().toLowerCase(Locale.ROOT) + " " + block;
    }
}
