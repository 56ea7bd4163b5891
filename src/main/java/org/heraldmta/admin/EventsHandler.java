package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.heraldmta.log.Event;
import org.heraldmta.mail.QueueId;

/**
 * {@code GET /api/v1/events} (the newest events, newest last; with {@code queue_id} a message's whole history from
 * events.jsonl, otherwise the events since start kept in memory) and {@code GET /api/v1/events/stream}, the live
 * tail as Server-Sent Events. Each stream is drained by a virtual thread of its own from its own bounded buffer.
 */
final class EventsHandler {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = RecentEvents.KEPT;
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final AdminServices services;

    EventsHandler(AdminServices services) {
        this.services = services;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/events", this::list);
        routes.sse("/api/v1/events/stream", this::stream);
    }

    private void list(Context ctx) throws IOException {
        int limit = QueueFilter.number(ctx, "limit", 1, MAX_LIMIT).orElse((long) DEFAULT_LIMIT).intValue();
        Optional<String> name = Optional.ofNullable(ctx.queryParam("event")).filter(s -> !s.isBlank());
        String id = ctx.queryParam("queue_id");
        List<Event> events;
        if (id != null && !id.isBlank()) {
            QueueId queueId;
            try {
                queueId = QueueId.parse(id);
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("queue_id", "not a queue id: " + id);
            }
            List<Event> all = services.events().about(queueId).stream()
                    .filter(e -> name.map(e.event()::equals).orElse(true)).toList();
            events = all.subList(Math.max(0, all.size() - limit), all.size());
        } else {
            events = services.activity().recent().last(limit, e -> name.map(e.event()::equals).orElse(true));
        }
        Json.ok(ctx, Json.object("events", events.stream().map(EventView::of).toList()));
    }

    private void stream(SseClient client) {
        client.keepAlive();
        LiveTail.Subscription subscription = services.activity().tail().subscribe();
        client.onClose(subscription::close);
        Thread.ofVirtual().name("admin-sse").start(() -> {
            try (subscription) {
                client.sendComment("herald live tail");
                while (!client.terminated() && !subscription.ended()) {
                    Optional<Event> next = subscription.next(HEARTBEAT);
                    if (next.isPresent()) {
                        client.sendData(Json.text(EventView.of(next.get())));
                    } else if (!subscription.ended()) {
                        client.sendComment("heartbeat"); // also finds out that a browser went away
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the browser went away mid-write
            } finally {
                client.close();
            }
        });
    }
}
