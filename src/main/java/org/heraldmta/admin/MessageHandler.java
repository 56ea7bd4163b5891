package org.heraldmta.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.heraldmta.log.AttemptTranscript;
import org.heraldmta.log.Event;
import org.heraldmta.mail.QueueId;
import org.heraldmta.qmgr.QueueEntry;
import org.heraldmta.qmgr.QueueSnapshot;
import org.heraldmta.spool.RecipientState;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.SpooledMessage;

/**
 * {@code GET /api/v1/queue/{id}}: one message with its queue entries, per-recipient state, every attempt's
 * transcript and its events. A message that already left the queue is shown from the log: its recipients' states
 * then come from their last events.
 */
final class MessageHandler {

    /** Worst first: the state a message shows is the worst of its parts. */
    private static final List<QueueEntry.State> SEVERITY = List.of(QueueEntry.State.HELD, QueueEntry.State.DEFERRED,
            QueueEntry.State.ACTIVE, QueueEntry.State.QUEUED);

    private final AdminServices services;

    MessageHandler(AdminServices services) {
        this.services = services;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/queue/{id}", this::show);
    }

    static QueueId id(Context ctx) {
        try {
            return QueueId.parse(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("id", "not a queue id: " + ctx.pathParam("id"));
        }
    }

    private void show(Context ctx) throws IOException {
        QueueId id = id(ctx);
        QueueSnapshot snapshot = services.queue().snapshot();
        List<QueueEntry> parts = snapshot.entries().stream().filter(e -> e.id().equals(id)).toList();
        Optional<SpooledMessage> stored = services.spool().find(id);
        List<Event> events = services.events().about(id);
        List<AttemptTranscript> attempts = services.transcripts().read(id);
        if (parts.isEmpty() && stored.isEmpty() && events.isEmpty() && attempts.isEmpty()) {
            throw ApiException.notFound("no message " + id.value() + " in the queue or the log");
        }
        Optional<Event> receivedEvent = events.stream().filter(e -> e.event().equals("received")
                && id.value().equals(e.fields().get("queue_id"))).findFirst();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.value());
        out.put("sender", stored.map(m -> (Object) m.envelope().sender().toString())
                .orElseGet(() -> receivedEvent.map(e -> e.fields().get("sender")).orElse(null)));
        out.put("received", Json.time(stored.map(m -> m.envelope().received())
                .or(() -> receivedEvent.map(Event::time))));
        out.put("size", stored.map(m -> (Object) m.size())
                .orElseGet(() -> receivedEvent.map(e -> e.fields().get("size")).orElse(null)));
        out.put("state", parts.stream().map(QueueEntry::state).min(Comparator.comparingInt(SEVERITY::indexOf))
                .map(QueueEntry.State::label).orElse("finished"));
        out.put("parts", parts.stream().map(p -> QueueView.entry(p, snapshot.taken(), ReasonZone.of(ctx))).toList());
        out.put("recipients", stored.map(m -> m.recipients().stream().map(MessageHandler::recipient).toList())
                .orElseGet(() -> fromEvents(receivedEvent, events)));
        out.put("attempts", attempts.stream().sorted(Comparator.comparingInt(AttemptTranscript::attempt))
                .map(MessageHandler::attempt).toList());
        out.put("events", events.stream().map(EventView::of).toList());
        Json.ok(ctx, out);
    }

    private static Map<String, Object> recipient(RecipientStatus r) {
        Instant next = r.state() == RecipientState.PENDING && r.notBefore().isAfter(Instant.EPOCH)
                ? r.notBefore() : null;
        return Json.object("address", r.recipient().toString(), "domain", r.recipient().domain().name(),
                "status", r.state().name().toLowerCase(Locale.ROOT), "direct_attempts", r.directAttempts(),
                "relay_attempts", r.relayAttempts(), "next_attempt", next, "last_step", r.lastStep(),
                "last_reply", r.lastReply());
    }

    /** A finished message's recipients, each with the outcome of its last event. */
    private static List<Map<String, Object>> fromEvents(Optional<Event> received, List<Event> events) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (received.isEmpty() || !(received.get().fields().get("recipients") instanceof List<?> addresses)) {
            return out;
        }
        for (Object address : addresses) {
            Optional<Event> last = events.stream().filter(e -> address.equals(e.fields().get("recipient")))
                    .filter(e -> List.of("delivered", "deferred", "bounced", "expired").contains(e.event()))
                    .reduce((first, second) -> second);
            String text = String.valueOf(address);
            int direct = (int) events.stream().filter(e -> address.equals(e.fields().get("recipient"))
                    && "direct".equals(e.fields().get("mode"))).count();
            int relay = (int) events.stream().filter(e -> address.equals(e.fields().get("recipient"))
                    && "relay".equals(e.fields().get("mode"))).count();
            out.add(Json.object("address", text, "domain", text.substring(text.lastIndexOf('@') + 1),
                    "status", last.map(Event::event).orElse("unknown"),
                    "direct_attempts", direct, "relay_attempts", relay, "next_attempt", null,
                    "last_step", last.map(e -> e.fields().get("step")).orElse(""),
                    "last_reply", last.map(e -> e.fields().get("reply")).orElse("")));
        }
        return out;
    }

    private static Map<String, Object> attempt(AttemptTranscript a) {
        return Json.object("attempt", a.attempt(), "mode", a.mode(), "started", a.started(),
                "duration_seconds", Duration.between(a.started(), a.finished()).toMillis() / 1000.0,
                "lines", a.lines().stream().map(l -> Json.object("time", l.time(), "kind", l.kind(),
                        "text", l.text())).toList());
    }
}
