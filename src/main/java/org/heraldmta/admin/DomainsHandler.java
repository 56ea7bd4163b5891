package org.heraldmta.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.heraldmta.config.DomainRules;
import org.heraldmta.config.DomainSettings;
import org.heraldmta.config.Durations;
import org.heraldmta.mail.Domain;
import org.heraldmta.qmgr.QueueEntry;
import org.heraldmta.qmgr.QueueManager;
import org.heraldmta.qmgr.WaitReason;

/**
 * {@code GET /api/v1/domains} (every domain with queued mail: counts, limit, shaping state, last reply, next
 * attempt) and {@code GET /api/v1/domains/{domain}/settings} (the effective settings and which rule set each).
 */
final class DomainsHandler {

    private final QueueManager queue;
    private final ConfigControl config;

    DomainsHandler(QueueManager queue, ConfigControl config) {
        this.queue = queue;
        this.config = config;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/domains", this::list);
        routes.get("/api/v1/domains/{domain}/settings", this::settings);
    }

    private void list(Context ctx) {
        Map<Domain, List<QueueEntry>> byDomain = new TreeMap<>();
        for (QueueEntry entry : queue.snapshot().entries()) {
            byDomain.computeIfAbsent(entry.domain(), d -> new ArrayList<>()).add(entry);
        }
        DomainRules rules = config.current().domains();
        List<Object> domains = new ArrayList<>();
        byDomain.forEach((domain, entries) -> domains.add(Json.object(
                "domain", domain.name(),
                "destination", domain.name(),
                "queued", entries.size(),
                "in_flight", entries.stream().filter(e -> e.state() == QueueEntry.State.ACTIVE).count(),
                "max_connections", rules.forDomain(domain).maxConnections(),
                "shaping", shaping(entries),
                "last_reply", entries.stream().sorted(Comparator.comparing(QueueEntry::received).reversed())
                        .map(QueueView::lastReply).filter(Objects::nonNull).findFirst().orElse(null),
                "next_attempt", entries.stream().map(QueueEntry::nextAttempt).flatMap(Optional::stream)
                        .min(Comparator.naturalOrder()).orElse(null))));
        Json.ok(ctx, Json.object("domains", domains));
    }

    /** The destination's own state: a pause or full connections, else "ok" (a message's own wait is not it). */
    private static String shaping(List<QueueEntry> entries) {
        return entries.stream().map(QueueEntry::reason).flatMap(Optional::stream)
                .filter(r -> r instanceof WaitReason.BurstPause || r instanceof WaitReason.BurstEnding
                        || r instanceof WaitReason.ConnectionsInUse)
                .findFirst().map(WaitReason::text).orElse("ok");
    }

    private void settings(Context ctx) throws JsonProcessingException {
        Domain domain;
        try {
            domain = Domain.of(ctx.pathParam("domain"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("domain", "not a domain name: " + ctx.pathParam("domain"));
        }
        DomainSettings effective = config.current().domains().forDomain(domain);
        JsonNode rules = RulesDocument.rules(config.appliedText());
        JsonNode own = rules.path("domains").path(domain.name());
        JsonNode defaults = rules.path("default");
        Map<String, Object> settings = new LinkedHashMap<>();
        values(effective).forEach((key, value) -> settings.put(key, Json.object("value", value, "source",
                own.has(key) ? "domains.\"" + domain.name() + "\"" : defaults.has(key) ? "domains.default"
                        : "built-in")));
        Json.ok(ctx, Json.object("domain", domain.name(), "settings", settings));
    }

    /** The settings as they are written in TOML (durations as text such as "60s"). */
    private static Map<String, Object> values(DomainSettings s) {
        return Json.object("direct_attempts", s.directAttempts(), "relay_attempts", s.relayAttempts(),
                "max_connections", s.maxConnections(),
                "delay_after_failure", s.delayAfterFailure().stream().map(Durations::format).toList(),
                "max_continuous", s.maxContinuous(), "delay_for_continuing", Durations.format(s.delayForContinuing()),
                "max_age", Durations.format(s.maxAge()), "port", s.port());
    }
}
