package org.heraldmta.admin;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.heraldmta.qmgr.QueueEntry;

/**
 * The filters and page of {@code GET /api/v1/queue}: domain (exact), state, sender and recipient (case-insensitive
 * substring), min_age and max_age in seconds, offset and limit (1 to 1,000, 50 by default).
 */
record QueueFilter(Optional<String> domain, Optional<QueueEntry.State> state, Optional<String> sender,
                   Optional<String> recipient, Optional<Long> minAge, Optional<Long> maxAge, int offset, int limit) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    static QueueFilter of(Context ctx) {
        return new QueueFilter(
                text(ctx, "domain"),
                text(ctx, "state").map(QueueFilter::state),
                text(ctx, "sender").map(s -> s.toLowerCase(Locale.ROOT)),
                text(ctx, "recipient").map(s -> s.toLowerCase(Locale.ROOT)),
                number(ctx, "min_age", 0, Long.MAX_VALUE),
                number(ctx, "max_age", 0, Long.MAX_VALUE),
                number(ctx, "offset", 0, Integer.MAX_VALUE).orElse(0L).intValue(),
                number(ctx, "limit", 1, MAX_LIMIT).orElse((long) DEFAULT_LIMIT).intValue());
    }

    Predicate<QueueEntry> matching(Instant now) {
        return entry -> domain.map(d -> entry.domain().name().equalsIgnoreCase(d)).orElse(true)
                && state.map(s -> entry.state() == s).orElse(true)
                && sender.map(s -> entry.sender().toString().toLowerCase(Locale.ROOT).contains(s)).orElse(true)
                && recipient.map(r -> entry.recipients().stream().anyMatch(
                        status -> status.recipient().toString().toLowerCase(Locale.ROOT).contains(r))).orElse(true)
                && minAge.map(min -> QueueView.ageSeconds(entry, now) >= min).orElse(true)
                && maxAge.map(max -> QueueView.ageSeconds(entry, now) <= max).orElse(true);
    }

    private static Optional<String> text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static QueueEntry.State state(String text) {
        return Arrays.stream(QueueEntry.State.values()).filter(s -> s.label().equals(text.toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> ApiException.badParameter("state",
                        "must be one of queued, active, deferred, held, not \"" + text + "\""));
    }

    static Optional<Long> number(Context ctx, String name, long min, long max) {
        Optional<String> value = text(ctx, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed < min || parsed > max) {
                throw ApiException.badParameter(name, "must be between " + min + " and " + max + ", not "
                        + value.get());
            }
            return Optional.of(parsed);
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "must be a whole number, not \"" + value.get() + "\"");
        }
    }
}
