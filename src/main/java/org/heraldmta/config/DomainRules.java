package org.heraldmta.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.heraldmta.mail.Domain;

/**
 * The {@code [domains.*]} tables: the defaults and per-domain rules, resolved to effective
 * {@link DomainSettings} with unset keys falling back to the defaults.
 */
public final class DomainRules {

    private final DomainSettings defaults;
    private final Map<String, DomainSettings> exact;

    public DomainRules(DomainSettings defaults, Map<String, DomainSettings> exact) {
        this.defaults = defaults;
        this.exact = Map.copyOf(new LinkedHashMap<>(exact));
    }

    public static DomainRules defaultsOnly() {
        return new DomainRules(DomainSettings.DEFAULTS, Map.of());
    }

    public DomainSettings defaults() {
        return defaults;
    }

    /** The effective settings for a recipient domain. Cheap: a map look-up. */
    public DomainSettings forDomain(Domain domain) {
        return exact.getOrDefault(domain.name(), defaults);
    }

    public Map<String, DomainSettings> rules() {
        return exact;
    }
}
