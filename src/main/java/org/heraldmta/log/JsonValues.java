package org.heraldmta.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How log values become JSON and back. Strings, numbers, booleans and null are written as such; an
 * {@link Instant} as UTC text; collections and arrays as arrays; maps as objects; an {@link Optional} as its value
 * or null; anything else (queue ids, addresses, domains, replies, enums) as its {@code toString()}, which for the
 * mail values is the form people read.
 */
final class JsonValues {

    /** Event times: always milliseconds, always Z, so that lines sort and line up. */
    static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    static final JsonFactory FACTORY = new JsonFactory();
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private JsonValues() {
    }

    /** One event as one line of JSON, without the line end: time, event, then the fields in their order. */
    static String eventLine(Event event) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("time", EVENT_TIME.format(event.time()));
            g.writeStringField("event", event.event());
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                g.writeFieldName(field.getKey());
                write(g, field.getValue());
            }
            g.writeEndObject();
        });
    }

    /** Reads an event line back; field values come back as String, Integer/Long/Double, Boolean, List, Map. */
    static Event parseEvent(String line) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        if (node == null || !node.isObject() || !node.path("time").isTextual() || !node.path("event").isTextual()) {
            throw new IOException("not an event line");
        }
        Instant time = Instant.parse(node.get("time").asText());
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getKey().equals("time") && !field.getKey().equals("event")) {
                fields.put(field.getKey(), MAPPER.treeToValue(field.getValue(), Object.class));
            }
        }
        return new Event(time, node.get("event").asText(), fields);
    }

    interface GeneratorWork {
        void writeWith(JsonGenerator generator) throws IOException;
    }

    /** Runs the work against a generator and returns the text, so that no half-written JSON ever leaves here. */
    static String json(GeneratorWork work) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator generator = FACTORY.createGenerator(text)) {
            work.writeWith(generator);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen with an in-memory writer", e);
        }
        return text.toString();
    }

    static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigInteger bi -> g.writeNumber(bi);
            case BigDecimal bd -> g.writeNumber(bd);
            case Instant instant -> g.writeString(EVENT_TIME.format(instant));
            case Optional<?> optional -> write(g, optional.orElse(null));
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> items -> {
                g.writeStartArray();
                for (Object item : items) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case Object[] items -> {
                g.writeStartArray();
                for (Object item : items) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            default -> g.writeString(value.toString());
        }
    }

    static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
