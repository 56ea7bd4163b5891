package org.heraldmta.submission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a JSON sending request with Jackson's streaming parser: the message fields become a small tree, while the
 * entries of {@code recipients} are handed over one at a time and never kept, so a batch of any length costs the
 * memory of one entry.
 */
final class JsonRequestReader {

    /** One entry of {@code recipients}, checked. */
    record Recipient(int index, String email, Map<String, String> vars) {
        String field() {
            return "recipients[" + index + "]";
        }
    }

    @FunctionalInterface
    interface RecipientVisitor {
        void visit(Recipient recipient) throws Refusal, IOException;
    }

    /** The message fields of a request, and how many recipients it lists ({@code -1}: no recipients field). */
    record Request(ObjectNode fields, int recipients) {
        boolean isBatch() {
            return recipients >= 0;
        }
    }

    private final ObjectMapper mapper;

    JsonRequestReader(long maxRequestSize) {
        // A base64 attachment is one long string; Jackson's default cap (20 MB) would refuse a large one.
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(maxRequestSize, Integer.MAX_VALUE - 1))
                .build();
        this.mapper = JsonMapper.builder().build();
        mapper.getFactory().setStreamReadConstraints(constraints);
    }

    /**
     * Reads a whole request.
     *
     * @param keepFields false to skip the message fields (a later pass over the same request needs only the
     *                   recipients)
     */
    Request read(InputStream in, boolean keepFields, RecipientVisitor visitor) throws Refusal, IOException {
        ObjectNode fields = mapper.createObjectNode();
        int recipients = -1;
        try (JsonParser parser = mapper.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw Refusal.badField("body", "must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (fields.has(name) || (name.equals("recipients") && recipients >= 0)) {
                    throw Refusal.badField(name, "is given twice");
                }
                if (name.equals("recipients")) {
                    recipients = recipients(parser, visitor);
                } else if (keepFields) {
                    fields.set(name, parser.readValueAsTree());
                } else {
                    fields.putNull(name); // remembered only to notice a field given twice
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw Refusal.badField("body", "has more after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            throw new Refusal(413, "body", e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw Refusal.badField("body", "is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        return new Request(fields, recipients);
    }

    private static int recipients(JsonParser parser, RecipientVisitor visitor) throws IOException, Refusal {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw Refusal.badField("recipients", "must be a list of {\"email\": ..., \"vars\": {...}}");
        }
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonNode entry = parser.readValueAsTree();
            visitor.visit(recipient(index, entry));
            index++;
        }
        if (index == 0) {
            throw Refusal.badField("recipients", "is empty");
        }
        return index;
    }

    private static Recipient recipient(int index, JsonNode entry) throws Refusal {
        String field = "recipients[" + index + "]";
        if (entry == null || !entry.isObject()) {
            throw Refusal.badField(field, "must be an object with email and vars");
        }
        Iterator<String> names = entry.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("email") && !name.equals("vars")) {
                throw Refusal.badField(field + "." + name, "unknown field; allowed: email, vars");
            }
        }
        JsonNode email = entry.get("email");
        if (email == null || !email.isTextual()) {
            throw Refusal.badField(field + ".email", "is required and must be a string");
        }
        try {
            JsonMessage.checkAddress(field + ".email", JsonMessage.mailbox(email.asText()));
            JsonMessage.checkHeaderAddress(field + ".email", email.asText());
        } catch (InvalidFieldException e) {
            throw Refusal.of(e);
        }
        return new Recipient(index, email.asText(), vars(field + ".vars", entry.get("vars")));
    }

    private static Map<String, String> vars(String field, JsonNode vars) throws Refusal {
        Map<String, String> out = new LinkedHashMap<>();
        if (vars == null || vars.isNull()) {
            return out;
        }
        if (!vars.isObject()) {
            throw Refusal.badField(field, "must be an object of names to values");
        }
        Iterator<Map.Entry<String, JsonNode>> entries = vars.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode value = entry.getValue();
            if (value.isContainerNode()) {
                throw Refusal.badField(field + "." + entry.getKey(), "must be a string, a number or a boolean");
            }
            out.put(entry.getKey(), value.isNull() ? "" : value.asText());
        }
        return out;
    }
}
