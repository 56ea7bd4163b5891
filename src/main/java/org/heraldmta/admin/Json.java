package org.heraldmta.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the API writes JSON: maps in the order built (snake_case keys), times as ISO-8601 UTC text with
 * milliseconds, absent values as null. Values the mapper does not know become their {@code toString()}.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    static String time(Optional<Instant> instant) {
        return instant.map(Json::time).orElse(null);
    }

    /** An ordered object built from key, value pairs. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], plain(keysAndValues[i + 1]));
        }
        return out;
    }

    /** A value as Jackson writes it plainly: strings, numbers, booleans, lists, maps; others as their text. */
    static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            case Instant i -> time(i);
            case Optional<?> o -> plain(o.orElse(null));
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
                yield out;
            }
            case Collection<?> items -> items.stream().map(Json::plain).toList();
            default -> value.toString();
        };
    }

    static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply as JSON", e);
        }
    }

    static void ok(Context ctx, Object body) {
        send(ctx, 200, body);
    }

    static String text(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
