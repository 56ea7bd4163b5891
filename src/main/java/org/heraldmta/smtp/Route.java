package org.heraldmta.smtp;

import java.util.List;
import org.heraldmta.config.DirectTls;
import org.heraldmta.config.RelayServer;
import org.heraldmta.mail.Domain;

/** Where one attempt goes: a pass over a domain's MX hosts, or a pass over the relay list. */
public sealed interface Route {

    DeliveryMode mode();

    /**
     * Direct delivery to {@code domain}'s MX hosts (or its A/AAAA when it has no MX).
     *
     * @param port destination port (25 unless a domain setting says otherwise)
     * @param tls  opportunistic STARTTLS, required (a host that does not offer it, or fails it, is not used) or off
     */
    record Direct(Domain domain, int port, DirectTls tls) implements Route {
        /** Opportunistic TLS, or required when {@code requireTls}. */
        public Direct(Domain domain, int port, boolean requireTls) {
            this(domain, port, requireTls ? DirectTls.REQUIRED : DirectTls.OPPORTUNISTIC);
        }

        public boolean requireTls() {
            return tls == DirectTls.REQUIRED;
        }

        @Override
        public DeliveryMode mode() {
            return DeliveryMode.DIRECT;
        }
    }

    /** Relay delivery: the relay servers in order, each with its own TLS and AUTH settings. */
    record Relay(List<RelayServer> servers) implements Route {
        public Relay {
            servers = List.copyOf(servers);
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("relay route without relay servers");
            }
        }

        @Override
        public DeliveryMode mode() {
            return DeliveryMode.RELAY;
        }
    }
}
