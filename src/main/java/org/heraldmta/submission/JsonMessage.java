package org.heraldmta.submission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heraldmta.mail.Address;

/**
 * A message described as JSON: {@code from}, {@code to}, {@code cc}, {@code bcc}, {@code reply_to},
 * {@code subject}, {@code text}, {@code html}, {@code headers}, {@code attachments} ({@code name}, {@code type},
 * {@code content} in base64).
 */
public record JsonMessage(String from, List<String> to, List<String> cc, List<String> bcc, Optional<String> replyTo,
                          String subject, Optional<String> text, Optional<String> html, Map<String, String> headers,
                          List<Attachment> attachments) {

    public record Attachment(String name, String type, byte[] content) {
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("from", "to", "cc", "bcc", "reply_to",
            "subject", "text", "html", "headers", "attachments", "recipients", "envelope_from");

    /** Reads and validates the fields; {@code requireRecipients} is false for batches, whose recipients come apart. */
    public static JsonMessage from(JsonNode node, boolean requireRecipients) throws InvalidFieldException {
        if (node == null || !node.isObject()) {
            throw new InvalidFieldException("body", "must be a JSON object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                throw new InvalidFieldException(name, "unknown field; allowed: " + String.join(", ", new java.util.TreeSet<>(KNOWN)));
            }
        }
        String from = requiredText(node, "from");
        checkAddress("from", mailbox(from));
        List<String> to = addresses(node, "to");
        List<String> cc = addresses(node, "cc");
        List<String> bcc = addresses(node, "bcc");
        if (requireRecipients && to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw new InvalidFieldException("to", "at least one recipient is required in to, cc or bcc");
        }
        Optional<String> replyTo = optionalText(node, "reply_to");
        if (replyTo.isPresent()) {
            checkAddress("reply_to", mailbox(replyTo.get()));
        }
        String subject = optionalText(node, "subject").orElse("");
        Optional<String> text = optionalText(node, "text");
        Optional<String> html = optionalText(node, "html");
        if (text.isEmpty() && html.isEmpty()) {
            throw new InvalidFieldException("text", "a message needs text or html (or both)");
        }
        return new JsonMessage(from, to, cc, bcc, replyTo, subject, text, html, headers(node), attachments(node));
    }

    /** The bare address of a mailbox written {@code "Name" <a@b>} or {@code a@b}. */
    public static String mailbox(String written) {
        int open = written.lastIndexOf('<');
        int close = written.lastIndexOf('>');
        return open >= 0 && close > open ? written.substring(open + 1, close).trim() : written.trim();
    }

    static void checkAddress(String field, String address) throws InvalidFieldException {
        try {
            Address.parse(address);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, "\"" + address + "\" is not an address: " + e.getMessage());
        }
    }

    /** Checks that Jakarta Mail can write {@code written} ({@code a@b} or {@code "Name" <a@b>}) into a header. */
    static void checkHeaderAddress(String field, String written) throws InvalidFieldException {
        try {
            new jakarta.mail.internet.InternetAddress(written, true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new InvalidFieldException(field, "\"" + written + "\" is not an address: " + e.getMessage());
        }
    }

    /** The envelope sender: {@code envelope_from} when given (bounces go there), else the address in {@code from}. */
    public static Address envelopeSender(JsonNode node, JsonMessage message) throws InvalidFieldException {
        Optional<String> envelopeFrom = optionalText(node, "envelope_from");
        String field = envelopeFrom.isPresent() ? "envelope_from" : "from";
        String address = envelopeFrom.orElseGet(() -> mailbox(message.from()));
        checkAddress(field, address);
        return Address.parse(address);
    }

    private static String requiredText(JsonNode node, String field) throws InvalidFieldException {
        return optionalText(node, field).orElseThrow(() -> new InvalidFieldException(field, "is required"));
    }

    private static Optional<String> optionalText(JsonNode node, String field) throws InvalidFieldException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidFieldException(field, "must be a string");
        }
        return Optional.of(value.asText());
    }

    private static List<String> addresses(JsonNode node, String field) throws InvalidFieldException {
        JsonNode value = node.get(field);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isTextual()) {
            checkAddress(field, mailbox(value.asText()));
            out.add(value.asText());
            return out;
        }
        if (!value.isArray()) {
            throw new InvalidFieldException(field, "must be an address or a list of addresses");
        }
        int i = 0;
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be a string");
            }
            checkAddress(field + "[" + i + "]", mailbox(item.asText()));
            out.add(item.asText());
            i++;
        }
        return out;
    }

    private static Map<String, String> headers(JsonNode node) throws InvalidFieldException {
        JsonNode value = node.get("headers");
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw new InvalidFieldException("headers", "must be an object of header names to values");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!name.matches("[!-9;-~]+")) {
                throw new InvalidFieldException("headers." + name, "is not a valid header name");
            }
            if (!field.getValue().isTextual() || field.getValue().asText().contains("\r")
                    || field.getValue().asText().contains("\n")) {
                throw new InvalidFieldException("headers." + name, "must be a single-line string");
            }
            out.put(name, field.getValue().asText());
        }
        return out;
    }

    private static List<Attachment> attachments(JsonNode node) throws InvalidFieldException {
        JsonNode value = node.get("attachments");
        List<Attachment> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new InvalidFieldException("attachments", "must be a list");
        }
        int i = 0;
        for (JsonNode item : value) {
            String field = "attachments[" + i++ + "]";
            if (!item.isObject()) {
                throw new InvalidFieldException(field, "must be an object with name, type and content");
            }
            String name = requiredText(item, "name");
            String type = optionalText(item, "type").orElse("application/octet-stream");
            try {
                new jakarta.mail.internet.ContentType(type);
            } catch (jakarta.mail.internet.ParseException e) {
                throw new InvalidFieldException(field + ".type", "is not a MIME type: " + type);
            }
            byte[] content;
            try {
                content = Base64.getDecoder().decode(requiredText(item, "content").replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException(field + ".content", "must be base64: " + e.getMessage());
            }
            out.add(new Attachment(name, type, content));
        }
        return out;
    }

    /** This message with {@code recipient} as its only To and no Cc or Bcc: one message of a batch. */
    public JsonMessage addressedTo(String recipient) {
        return new JsonMessage(from, List.of(recipient), List.of(), List.of(), replyTo, subject, text, html, headers,
                attachments);
    }

    /** This message with {{name}} placeholders in subject, text and html filled from {@code vars}. */
    public JsonMessage personalised(Map<String, String> vars) {
        return new JsonMessage(from, to, cc, bcc, replyTo, Placeholders.fill(subject, vars),
                text.map(t -> Placeholders.fill(t, vars)), html.map(h -> Placeholders.fill(h, vars)), headers,
                attachments);
    }
}
