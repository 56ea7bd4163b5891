package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.heraldmta.qmgr.QueueEntry;
import org.heraldmta.qmgr.QueueManager;
import org.heraldmta.qmgr.QueueSnapshot;

/** {@code GET /api/v1/queue}: the queue's entries, filtered, newest first, one page. */
final class QueueHandler {

    private final QueueManager queue;

    QueueHandler(QueueManager queue) {
        this.queue = queue;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/queue", this::list);
    }

    private void list(Context ctx) {
        QueueFilter filter = QueueFilter.of(ctx);
        java.time.ZoneId zone = ReasonZone.of(ctx);
        QueueSnapshot snapshot = queue.snapshot();
        Instant now = snapshot.taken();
        List<QueueEntry> matching = snapshot.entries().stream().filter(filter.matching(now))
                .sorted(Comparator.comparing(QueueEntry::received).thenComparing(QueueEntry::id).reversed())
                .toList();
        List<Object> page = matching.stream().skip(filter.offset()).limit(filter.limit())
                .map(entry -> (Object) QueueView.entry(entry, now, zone)).toList();
        Json.ok(ctx, Json.object("total", matching.size(), "offset", filter.offset(), "limit", filter.limit(),
                "entries", page));
    }
}
