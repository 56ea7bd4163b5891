package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/stats/timeline?minutes=60}: messages per minute since start (at most the last 24 h). */
final class TimelineHandler {

    private final AdminServices services;

    TimelineHandler(AdminServices services) {
        this.services = services;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/stats/timeline", this::timeline);
    }

    private void timeline(Context ctx) {
        int minutes = QueueFilter.number(ctx, "minutes", 1, MinuteTimeline.MINUTES_KEPT).orElse(60L).intValue();
        var rows = services.activity().timeline().last(minutes, services.clock().instant()).stream().map(m -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("minute", m.minute().toString());
            row.putAll(m.counts());
            return row;
        }).toList();
        Json.ok(ctx, Json.object("minutes", rows));
    }
}
