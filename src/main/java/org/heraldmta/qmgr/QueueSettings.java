package org.heraldmta.qmgr;

import java.util.List;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.HeraldConfig;
import org.heraldmta.config.RelayServer;

/**
 * The part of the configuration the queue manager reads. It asks its supplier again for every decision, so a
 * reload takes effect for the next attempt while attempts in flight finish with the settings they started with.
 *
 * @param hostname the name given in EHLO and in bounces (Reporting-MTA, MAILER-DAEMON@hostname)
 * @param rules    per-domain delivery settings
 * @param relays   the relay list, in order; empty means relay mode is not available (relay_attempts counts as 0)
 */
public record QueueSettings(String hostname, DomainRules rules, List<RelayServer> relays) {

    public QueueSettings {
        if (hostname == null || hostname.isBlank() || rules == null) {
            throw new IllegalArgumentException("hostname and rules are required");
        }
        relays = relays == null ? List.of() : List.copyOf(relays);
    }

    public static QueueSettings from(HeraldConfig config) {
        return new QueueSettings(config.hostname(), config.domains(), config.relays());
    }
}
