package org.heraldmta.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.heraldmta.config.DirectTls;
import org.heraldmta.config.DomainKey;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.Durations;
import org.heraldmta.config.Rate;
import org.heraldmta.mail.Domain;
import org.heraldmta.qmgr.QueueManager;

/**
 * The body of {@code GET /api/v1/domains/{domain}/settings}: {@link DomainRules#explain} over the domain's MX host
 * names, asked through the queue manager's own look-up with a short time limit. A failed or slow look-up is not an
 * error: the explanation then leaves MX rules aside and says why in {@code mx_lookup}.
 */
final class SettingsExplanation {

    static final Duration MX_LOOKUP_LIMIT = Duration.ofSeconds(2);

    private record MxHosts(List<String> hosts, String outcome) {
    }

    private final QueueManager queue;
    private final Duration lookupLimit;

    SettingsExplanation(QueueManager queue) {
        this(queue, MX_LOOKUP_LIMIT);
    }

    SettingsExplanation(QueueManager queue, Duration lookupLimit) {
        this.queue = queue;
        this.lookupLimit = lookupLimit;
    }

    Map<String, Object> explain(Domain domain, DomainRules rules) throws InterruptedException {
        MxHosts mx = mxHosts(domain);
        DomainRules.Explanation explanation = rules.explain(domain, mx.hosts());
        Map<String, Object> settings = new LinkedHashMap<>();
        for (DomainRules.Line line : explanation.lines()) {
            settings.put(line.key().key(), Json.object("value", value(line.key().get(explanation.settings())),
                    "source", line.source()));
        }
        return Json.object("domain", domain.name(), "mx_hosts", mx.hosts(), "mx_lookup", mx.outcome(),
                "mx_rule", explanation.mxRule().orElse(null), "settings", settings);
    }

    private MxHosts mxHosts(Domain domain) throws InterruptedException {
        try {
            List<String> hosts = queue.lookupMxHosts(domain).toCompletableFuture()
                    .get(lookupLimit.toMillis(), TimeUnit.MILLISECONDS);
            return new MxHosts(List.copyOf(hosts), "ok");
        } catch (TimeoutException e) {
            return new MxHosts(List.of(), "failed: no answer within " + Durations.format(lookupLimit));
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new MxHosts(List.of(), "failed: " + (cause.getMessage() == null ? cause.toString()
                    : cause.getMessage()));
        }
    }

    /** A key's value as it is written in TOML: durations and rates as text, an unset optional key as null. */
    static Object value(Object value) {
        return switch (value) {
            case Optional<?> o -> o.map(SettingsExplanation::value).orElse(null);
            case Duration d -> Durations.format(d);
            case DirectTls tls -> tls.label();
            case Rate r -> r.toString();
            case List<?> list -> list.stream().map(SettingsExplanation::value).toList();
            default -> value;
        };
    }
}
