package org.heraldmta.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.heraldmta.mail.Domain;

/**
 * The {@code [domains.*]} and {@code [mx.*]} tables, resolved to effective {@link DomainSettings}.
 *
 * <p>Precedence, key by key: the exact domain ({@code [domains."example.com"]}), then the most specific wildcard
 * ({@code [domains."*.example.com"]}, which matches subdomains of example.com), then the MX rule whose pattern
 * matches one of the domain's MX host names ({@code [mx."*.outlook.test"]}), then {@code [domains.default]}, then
 * the built-in defaults. The destination keys ({@link DomainKey#isDestinationKey()}) of a domain that belongs to an
 * MX rule come from the MX rule (then the defaults) alone: they are one budget shared by all the rule's domains.
 *
 * <p>Immutable apart from a cache of resolved settings; thread safe. Look-ups cost a map access once cached.
 */
public final class DomainRules {

    /** One rule: where it comes from (as {@code config explain} names it), what it matches and what it sets. */
    public record Rule(String source, String pattern, DomainOverrides overrides) {
    }

    /** One key of an explanation: its effective value as written in the file, and the rule it came from. */
    public record Line(DomainKey key, String value, String source) {
    }

    /**
     * The effective settings of a domain and where each came from.
     *
     * @param mxRule the MX rule the domain belongs to, if any (its destination is then that rule)
     */
    public record Explanation(Domain domain, List<String> mxHosts, Optional<String> mxRule, List<Line> lines,
                              DomainSettings settings) {
    }

    static final String BUILT_IN = "built-in";
    static final String DEFAULT_SOURCE = "domains.default";
    private static final int CACHE_LIMIT = 100_000;

    private final Rule defaults;
    private final DomainSettings defaultSettings;
    private final Map<String, Rule> exact;
    private final List<Rule> wildcards;
    private final List<Rule> mxRules;
    private final Map<String, DomainSettings> cache = new ConcurrentHashMap<>();

    /**
     * @param defaults  {@code [domains.default]}
     * @param exact     by domain name
     * @param wildcards by pattern ({@code *.example.com})
     * @param mx        by MX host pattern ({@code *.outlook.test} or an exact host name), in file order
     */
    public DomainRules(DomainOverrides defaults, Map<String, DomainOverrides> exact,
                       Map<String, DomainOverrides> wildcards, Map<String, DomainOverrides> mx) {
        this.defaults = new Rule(DEFAULT_SOURCE, "default", defaults);
        this.defaultSettings = defaults.applyTo(DomainSettings.DEFAULTS);
        Map<String, Rule> exactRules = new LinkedHashMap<>();
        exact.forEach((name, o) -> exactRules.put(name.toLowerCase(Locale.ROOT),
                new Rule("domains.\"" + name + "\"", name, o)));
        this.exact = Map.copyOf(exactRules);
        List<Rule> w = new ArrayList<>();
        wildcards.forEach((pattern, o) -> w.add(new Rule("domains.\"" + pattern + "\"",
                pattern.toLowerCase(Locale.ROOT), o)));
        w.sort(Comparator.comparingInt((Rule r) -> r.pattern().length()).reversed());
        this.wildcards = List.copyOf(w);
        List<Rule> m = new ArrayList<>();
        mx.forEach((pattern, o) -> m.add(new Rule("mx.\"" + pattern + "\"", pattern.toLowerCase(Locale.ROOT), o)));
        // Exact host names before wildcards, longer (more specific) patterns first; the sort is stable.
        m.sort(Comparator.comparingInt((Rule r) -> r.pattern().startsWith("*.") ? 1 : 0)
                .thenComparing(Comparator.comparingInt((Rule r) -> r.pattern().length()).reversed()));
        this.mxRules = List.copyOf(m);
    }

    /** Full settings per domain (every key set at that level), as tests and tools write them. */
    public DomainRules(DomainSettings defaults, Map<String, DomainSettings> exact) {
        this(everyKey(defaults), toOverrides(exact), Map.of(), Map.of());
    }

    public static DomainRules defaultsOnly() {
        return new DomainRules(DomainOverrides.NONE, Map.of(), Map.of(), Map.of());
    }

    private static Map<String, DomainOverrides> toOverrides(Map<String, DomainSettings> settings) {
        Map<String, DomainOverrides> out = new LinkedHashMap<>();
        settings.forEach((name, s) -> out.put(name, everyKey(s)));
        return out;
    }

    /** Overrides that set every key to its value in {@code settings}. */
    public static DomainOverrides everyKey(DomainSettings settings) {
        Map<DomainKey, Object> values = new EnumMap<>(DomainKey.class);
        for (DomainKey key : DomainKey.values()) {
            values.put(key, key.get(settings));
        }
        return new DomainOverrides(values);
    }

    /** The built-in defaults with {@code [domains.default]} over them. */
    public DomainSettings defaults() {
        return defaultSettings;
    }

    /** Whether any MX rule exists (only then do MX host names matter for scheduling). */
    public boolean hasMxRules() {
        return !mxRules.isEmpty();
    }

    /** How many rules the file has besides the defaults. */
    public int ruleCount() {
        return exact.size() + wildcards.size() + mxRules.size();
    }

    /** The effective settings for a domain, leaving MX rules aside. Cheap once cached: a map look-up. */
    public DomainSettings forDomain(Domain domain) {
        return forDomain(domain, Optional.empty());
    }

    /** The effective settings for a domain that belongs to the MX rule {@code mxRule} (its pattern), if any. */
    public DomainSettings forDomain(Domain domain, Optional<String> mxRule) {
        if (exact.isEmpty() && wildcards.isEmpty() && mxRule.isEmpty()) {
            return defaultSettings;
        }
        String cacheKey = domain.name() + " " + mxRule.orElse("");
        DomainSettings cached = cache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        DomainSettings resolved = resolve(domain, mxRule.flatMap(this::mxRule)).settings();
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(cacheKey, resolved);
        return resolved;
    }

    /** The settings of an MX rule's destination as a whole: the rule over the defaults. */
    public DomainSettings forMxRule(String pattern) {
        return mxRule(pattern).map(r -> r.overrides().applyTo(defaultSettings)).orElse(defaultSettings);
    }

    /** The most specific MX rule matching one of {@code mxHosts}, as its pattern. */
    public Optional<String> mxRuleFor(List<String> mxHosts) {
        return matchingMxRule(mxHosts).map(Rule::pattern);
    }

    /** What {@code herald config explain} prints: every key's value for the domain and the rule it came from. */
    public Explanation explain(Domain domain, List<String> mxHosts) {
        Optional<Rule> mx = matchingMxRule(mxHosts);
        Resolution r = resolve(domain, mx);
        return new Explanation(domain, List.copyOf(mxHosts), mx.map(Rule::pattern), r.lines(), r.settings());
    }

    private record Resolution(DomainSettings settings, List<Line> lines) {
    }

    private Resolution resolve(Domain domain, Optional<Rule> mx) {
        Optional<Rule> own = Optional.ofNullable(exact.get(domain.name()));
        Optional<Rule> wildcard = wildcards.stream().filter(w -> matchesWildcard(w.pattern(), domain.name()))
                .findFirst();
        List<Rule> chain = new ArrayList<>();
        own.ifPresent(chain::add);
        wildcard.ifPresent(chain::add);
        mx.ifPresent(chain::add);
        chain.add(defaults);
        Map<DomainKey, Object> values = new EnumMap<>(DomainKey.class);
        List<Line> lines = new ArrayList<>();
        for (DomainKey key : DomainKey.values()) {
            List<Rule> candidates = key.isDestinationKey() && mx.isPresent() ? List.of(mx.get(), defaults) : chain;
            Object value = key.get(DomainSettings.DEFAULTS);
            String source = BUILT_IN;
            for (Rule rule : candidates) {
                if (rule.overrides().sets(key)) {
                    value = rule.overrides().values().get(key);
                    source = rule.source();
                    break;
                }
            }
            values.put(key, value);
            lines.add(new Line(key, key.format(value), source));
        }
        return new Resolution(new DomainOverrides(values).applyTo(DomainSettings.DEFAULTS), List.copyOf(lines));
    }

    private Optional<Rule> mxRule(String pattern) {
        return mxRules.stream().filter(r -> r.pattern().equals(pattern)).findFirst();
    }

    private Optional<Rule> matchingMxRule(List<String> mxHosts) {
        if (mxRules.isEmpty() || mxHosts.isEmpty()) {
            return Optional.empty();
        }
        List<String> hosts = mxHosts.stream().map(DomainRules::normalHost).toList();
        for (Rule rule : mxRules) {
            for (String host : hosts) {
                if (rule.pattern().startsWith("*.") ? matchesWildcard(rule.pattern(), host)
                        : rule.pattern().equals(host)) {
                    return Optional.of(rule);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code *.example.com} matches a.example.com and b.a.example.com, not example.com itself. */
    static boolean matchesWildcard(String pattern, String name) {
        return name.endsWith(pattern.substring(1)) && name.length() > pattern.length() - 1;
    }

    private static String normalHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
