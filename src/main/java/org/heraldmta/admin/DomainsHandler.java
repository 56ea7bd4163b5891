package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.heraldmta.config.DomainRules;
import org.heraldmta.mail.Domain;
import org.heraldmta.qmgr.Destination;
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
    private final SettingsExplanation explanation;

    DomainsHandler(QueueManager queue, ConfigControl config) {
        this.queue = queue;
        this.config = config;
        this.explanation = new SettingsExplanation(queue);
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/domains", this::list);
        routes.get("/api/v1/domains/{domain}/settings", this::settings);
    }

    private void list(Context ctx) {
        java.time.ZoneId zone = ReasonZone.of(ctx);
        Map<Domain, List<QueueEntry>> byDomain = new TreeMap<>();
        for (QueueEntry entry : queue.snapshot().entries()) {
            byDomain.computeIfAbsent(entry.domain(), d -> new ArrayList<>()).add(entry);
        }
        DomainRules rules = config.current().domains();
        List<Object> domains = new ArrayList<>();
        byDomain.forEach((domain, entries) -> {
            Destination destination = queue.destinationOf(domain);
            domains.add(Json.object(
                    "domain", domain.name(),
                    "destination", destination.mxRule().orElse(destination.name()),
                    "queued", entries.size(),
                    "in_flight", entries.stream().filter(e -> e.state() == QueueEntry.State.ACTIVE).count(),
                    "max_connections", destination.limits(rules).maxConnections(),
                    "shaping", shaping(entries, zone),
                    "last_reply", entries.stream().sorted(Comparator.comparing(QueueEntry::received).reversed())
                            .map(QueueView::lastReply).filter(Objects::nonNull).findFirst().orElse(null),
                    "next_attempt", entries.stream().map(QueueEntry::nextAttempt).flatMap(Optional::stream)
                            .min(Comparator.naturalOrder()).orElse(null)));
        });
        Json.ok(ctx, Json.object("domains", domains));
    }

    /** The destination's own state: a pause or full connections, else "ok" (a message's own wait is not it). */
    private static String shaping(List<QueueEntry> entries, java.time.ZoneId zone) {
        return entries.stream().map(QueueEntry::reason).flatMap(Optional::stream)
                .filter(r -> r instanceof WaitReason.BurstPause || r instanceof WaitReason.BurstEnding
                        || r instanceof WaitReason.ThrottlePause || r instanceof WaitReason.ConnectionsInUse)
                .findFirst().map(reason -> reason.text(zone)).orElse("ok");
    }

    private void settings(Context ctx) throws InterruptedException {
        Domain domain;
        try {
            domain = Domain.of(ctx.pathParam("domain"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("domain", "not a domain name: " + ctx.pathParam("domain"));
        }
        Json.ok(ctx, explanation.explain(domain, config.current().domains()));
    }
}
