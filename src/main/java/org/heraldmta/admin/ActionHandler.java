package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.heraldmta.mail.QueueId;
import org.heraldmta.qmgr.QueueEntry;
import org.heraldmta.qmgr.QueueManager;
import org.heraldmta.spool.SpoolException;

/**
 * The operator's actions: {@code POST /api/v1/queue/{id}/ACTION} on one message, {@code POST
 * /api/v1/queue/ACTION?domain=D} on every message with mail for a domain, {@code ?all=true} on the whole queue.
 * ACTION is retry, hold, release, delete or bounce. On one message an action its state does not allow (retry or
 * hold of a held message, release of one that is not held) is a 409; in bulk such messages are skipped.
 */
final class ActionHandler {

    enum Action {
        RETRY, HOLD, RELEASE, DELETE, BOUNCE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Action parse(String text) {
            for (Action action : values()) {
                if (action.label().equals(text)) {
                    return action;
                }
            }
            throw ApiException.notFound("no action \"" + text + "\": retry, hold, release, delete or bounce");
        }
    }

    private final QueueManager queue;

    ActionHandler(QueueManager queue) {
        this.queue = queue;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/v1/queue/{id}/{action}", this::onOne);
        routes.post("/api/v1/queue/{action}", this::onMany);
    }

    private void onOne(Context ctx) throws SpoolException {
        Action action = Action.parse(ctx.pathParam("action"));
        QueueId id = MessageHandler.id(ctx);
        List<QueueEntry> parts = queue.snapshot().entries().stream().filter(e -> e.id().equals(id)).toList();
        if (parts.isEmpty()) {
            throw ApiException.notFound("no message " + id.value() + " in the queue");
        }
        boolean held = parts.stream().allMatch(p -> p.state() == QueueEntry.State.HELD);
        String refusal = refusal(action, held);
        if (refusal != null) {
            throw ApiException.conflict(id.value() + ": " + refusal);
        }
        if (!apply(action, id)) {
            throw ApiException.notFound("no message " + id.value() + " in the queue");
        }
        Json.ok(ctx, Json.object("action", action.label(), "affected", 1, "ids", List.of(id.value())));
    }

    private void onMany(Context ctx) throws SpoolException {
        Action action = Action.parse(ctx.pathParam("action"));
        String domain = ctx.queryParam("domain");
        boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
        if ((domain == null || domain.isBlank()) == !all) {
            throw ApiException.badParameter("domain", "give either domain=D or all=true (one of them)");
        }
        Set<QueueId> candidates = new LinkedHashSet<>();
        Set<QueueId> notHeld = new LinkedHashSet<>();
        for (QueueEntry entry : queue.snapshot().entries()) {
            if (all || entry.domain().name().equalsIgnoreCase(domain.strip())) {
                candidates.add(entry.id());
            }
            if (entry.state() != QueueEntry.State.HELD) {
                notHeld.add(entry.id());
            }
        }
        List<String> affected = new ArrayList<>();
        for (QueueId id : candidates) {
            if (refusal(action, !notHeld.contains(id)) == null && apply(action, id)) {
                affected.add(id.value());
            }
        }
        Json.ok(ctx, Json.object("action", action.label(), "affected", affected.size(), "ids", affected));
    }

    /** Why the action cannot be done on a message held or not, or null when it can. */
    private static String refusal(Action action, boolean held) {
        return switch (action) {
            case RETRY -> held ? "the message is held; release it to retry it" : null;
            case HOLD -> held ? "the message is already held" : null;
            case RELEASE -> held ? null : "the message is not held";
            case DELETE, BOUNCE -> null;
        };
    }

    private boolean apply(Action action, QueueId id) throws SpoolException {
        return switch (action) {
            case RETRY -> queue.retryNow(id);
            case HOLD -> queue.hold(id);
            case RELEASE -> queue.release(id);
            case DELETE -> queue.delete(id);
            case BOUNCE -> queue.bounce(id);
        };
    }
}
