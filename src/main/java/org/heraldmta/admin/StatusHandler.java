package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.heraldmta.qmgr.QueueEntry;
import org.heraldmta.qmgr.QueueSnapshot;

/** {@code GET /api/v1/status}: who is running, since when, the queue by state, and the counters since start. */
final class StatusHandler {

    private final AdminServices services;

    StatusHandler(AdminServices services) {
        this.services = services;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/status", this::status);
    }

    private void status(Context ctx) {
        QueueSnapshot snapshot = services.queue().snapshot();
        Map<QueueEntry.State, Long> counts = snapshot.countByState();
        Instant now = services.clock().instant();
        ServerInfo info = services.info();
        Json.ok(ctx, Json.object(
                "hostname", services.config().current().hostname(),
                "version", info.version(),
                "started", info.started(),
                "uptime_seconds", Math.max(0, Duration.between(info.started(), now).toSeconds()),
                "smtp_listeners", info.smtpListeners().get().stream().map(StatusHandler::address).toList(),
                "queue", Json.object(
                        "queued", counts.get(QueueEntry.State.QUEUED),
                        "active", counts.get(QueueEntry.State.ACTIVE),
                        "deferred", counts.get(QueueEntry.State.DEFERRED),
                        "held", counts.get(QueueEntry.State.HELD),
                        "messages", services.queue().size()),
                "connections_in_use", services.queue().activeDeliveries(),
                "counters", services.activity().metrics().totals()));
    }

    static String address(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
