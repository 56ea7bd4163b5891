package org.heraldmta.qmgr;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.heraldmta.config.DomainRules;
import org.heraldmta.mail.Domain;

/**
 * Decides which destination a recipient domain's work belongs to: the domain itself, or the MX rule its MX hosts
 * match. Without MX rules that is always the domain, with no look-up and nothing kept. With MX rules each domain's
 * MX host names are asked for once (through {@link MxHostNames}) and kept for an hour; until the first answer the
 * domain's work waits as {@link Destination.AwaitingMx}. A failed look-up counts as "no MX rule" for five
 * minutes. Not thread safe: the queue manager calls it under its lock.
 */
final class DestinationRouter {

    static final long REFRESH_MILLIS = 3_600_000;
    static final long RETRY_AFTER_FAILURE_MILLIS = 300_000;

    /** What the queue manager does to ask (asynchronously; the answer comes back through {@link #answered}). */
    @FunctionalInterface
    interface Asker {
        void ask(Domain domain);
    }

    private record Known(List<String> hosts, long refreshAtMillis) {
    }

    private final Asker asker;
    private final Map<Domain, Known> known = new HashMap<>();
    private final Set<Domain> asking = new HashSet<>();

    DestinationRouter(Asker asker) {
        this.asker = asker;
    }

    Destination destinationOf(Domain domain, DomainRules rules, long nowMillis) {
        if (!rules.hasMxRules()) {
            return new Destination.OfDomain(domain);
        }
        Known k = known.get(domain);
        if (k == null) {
            ask(domain);
            return new Destination.AwaitingMx(domain);
        }
        if (nowMillis >= k.refreshAtMillis()) {
            ask(domain); // the old answer serves until the new one comes
        }
        return rules.mxRuleFor(k.hosts()).<Destination>map(Destination.OfMxRule::new)
                .orElseGet(() -> new Destination.OfDomain(domain));
    }

    /** An answer came: returns the destination the domain had before it (empty: it was awaiting one). */
    Optional<Destination> answered(Domain domain, Optional<List<String>> hosts, DomainRules rules, long nowMillis) {
        asking.remove(domain);
        Known before = known.get(domain);
        Optional<Destination> previous = Optional.ofNullable(before).map(k -> rules.mxRuleFor(k.hosts())
                .<Destination>map(Destination.OfMxRule::new).orElseGet(() -> new Destination.OfDomain(domain)));
        known.put(domain, new Known(hosts.orElse(List.of()),
                nowMillis + (hosts.isPresent() ? REFRESH_MILLIS : RETRY_AFTER_FAILURE_MILLIS)));
        return previous;
    }

    /** Look-ups asked for and not answered yet. */
    int pending() {
        return asking.size();
    }

    private void ask(Domain domain) {
        if (asking.add(domain)) {
            asker.ask(domain);
        }
    }
}
