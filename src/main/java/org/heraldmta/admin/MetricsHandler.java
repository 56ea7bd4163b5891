package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /metrics}: the Prometheus text exposition of {@link HeraldMetrics}. */
final class MetricsHandler {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HeraldMetrics metrics;

    MetricsHandler(HeraldMetrics metrics) {
        this.metrics = metrics;
    }

    void register(RoutesConfig routes) {
        routes.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
    }
}
