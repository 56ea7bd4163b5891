package org.heraldmta.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery rules of a configuration file as JSON, and the file's text with new rules in it.
 *
 * <p>The rules are the {@code [domains.*]} and {@code [mx.*]} tables, read generically (TOML tables to JSON
 * objects, values as written), so that keys added to the configuration later pass through untouched. Writing is
 * text-level: each rules table, from the comment lines right above its header to the comment lines right above the
 * next header, is cut out, and the new tables go where the first one was (or at the end). Everything else stays
 * byte for byte, comments included; {@link #replaceRules} checks that the result still means the same outside the
 * rules.
 */
final class RulesDocument {

    /** A table header: {@code [a.b]}, {@code [a."b.c"]} or {@code [[a]]}, with an optional comment after it. */
    private static final Pattern HEADER = Pattern.compile(
            "^\\s*\\[\\[?\\s*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')"
                    + "(?:\\s*\\.\\s*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'))*)\\s*\\]\\]?\\s*(?:#.*)?$");
    private static final TomlMapper TOML = new TomlMapper();

    private RulesDocument() {
    }

    /** {@code {"default": {...}, "domains": {...}, "mx": {...}}} from a configuration's text. */
    static ObjectNode rules(String text) throws JsonProcessingException {
        JsonNode root = parse(text);
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode domains = root.path("domains");
        out.set("default", domains.path("default").isObject() ? domains.get("default").deepCopy()
                : Json.MAPPER.createObjectNode());
        ObjectNode byDomain = out.putObject("domains");
        domains.properties().forEach(e -> {
            if (!e.getKey().equals("default")) {
                byDomain.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        out.set("mx", root.path("mx").isObject() ? root.get("mx").deepCopy() : Json.MAPPER.createObjectNode());
        return out;
    }

    /**
     * The text with its rules replaced by {@code rules} (shape of {@link #rules}).
     *
     * @throws IllegalArgumentException when {@code rules} is not of that shape, or the file's rules cannot be
     *                                  replaced without changing something else (rules written as dotted keys at
     *                                  the top, for instance)
     */
    static String replaceRules(String text, JsonNode rules) throws JsonProcessingException {
        String tables = tables(rules);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.removeLast(); // the split's empty piece after the last line end, not a line
        }
        List<Integer> headers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (HEADER.matcher(lines.get(i)).matches()) {
                headers.add(i);
            }
        }
        StringBuilder out = new StringBuilder();
        boolean inserted = false;
        int copiedUpTo = 0;
        for (int h = 0; h < headers.size(); h++) {
            int header = headers.get(h);
            if (!isRulesHeader(lines.get(header))) {
                continue;
            }
            int start = leadingComments(lines, header, copiedUpTo);
            int end = h + 1 < headers.size() ? leadingComments(lines, headers.get(h + 1), header + 1) : lines.size();
            appendLines(out, lines, copiedUpTo, start);
            if (!inserted) {
                out.append(tables);
                inserted = true;
            }
            copiedUpTo = end;
        }
        appendLines(out, lines, copiedUpTo, lines.size());
        String result = out.toString();
        if (!inserted && !tables.isEmpty()) {
            result = result + (result.isEmpty() || result.endsWith("\n\n") ? "" : result.endsWith("\n") ? "\n"
                    : "\n\n") + tables;
        }
        ObjectNode before = parse(text);
        ObjectNode after = parse(result);
        before.remove(List.of("domains", "mx"));
        after.remove(List.of("domains", "mx"));
        if (!before.equals(after) || !rules(result).equals(normalized(rules))) {
            throw new IllegalArgumentException("the configuration file's rules cannot be replaced without touching "
                    + "other settings; write them as [domains.\"...\"] and [mx.\"...\"] tables");
        }
        return result;
    }

    private static ObjectNode normalized(JsonNode rules) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("default", rules.path("default").isObject() ? rules.get("default") : Json.MAPPER.createObjectNode());
        out.set("domains", rules.path("domains").isObject() ? rules.get("domains") : Json.MAPPER.createObjectNode());
        out.set("mx", rules.path("mx").isObject() ? rules.get("mx") : Json.MAPPER.createObjectNode());
        return out;
    }

    /** The TOML text of the rules tables, each followed by a blank line. */
    static String tables(JsonNode rules) throws JsonProcessingException {
        if (rules == null || !rules.isObject()) {
            throw new IllegalArgumentException("the rules must be an object {\"default\": {...}, \"domains\": {...}, "
                    + "\"mx\": {...}}");
        }
        for (Iterator<String> names = rules.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("default", "domains", "mx").contains(name)) {
                throw new IllegalArgumentException(name + ": unknown part of the rules; allowed: default, domains, mx");
            }
        }
        StringBuilder out = new StringBuilder();
        JsonNode defaults = rules.path("default");
        if (!defaults.isMissingNode() && !defaults.isNull() && !(defaults.isObject() && defaults.isEmpty())) {
            out.append(table("[domains.default]", "default", defaults));
        }
        for (String part : List.of("domains", "mx")) {
            JsonNode tables = rules.path(part);
            if (tables.isMissingNode() || tables.isNull()) {
                continue;
            }
            if (!tables.isObject()) {
                throw new IllegalArgumentException(part + ": must be an object of tables");
            }
            for (Map.Entry<String, JsonNode> e : tables.properties()) {
                if (part.equals("domains") && e.getKey().equals("default")) {
                    throw new IllegalArgumentException("domains.default: put the defaults under \"default\"");
                }
                out.append(table("[" + part + "." + quoted(e.getKey()) + "]", part + "." + e.getKey(), e.getValue()));
            }
        }
        return out.toString();
    }

    private static String table(String header, String name, JsonNode values) throws JsonProcessingException {
        if (!values.isObject()) {
            throw new IllegalArgumentException(name + ": must be a table of settings");
        }
        String body = values.isEmpty() ? "" : TOML.writeValueAsString(values);
        if (!body.isEmpty() && !body.endsWith("\n")) {
            body += "\n";
        }
        return header + "\n" + body + "\n";
    }

    private static String quoted(String key) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : key.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean isRulesHeader(String line) {
        Matcher m = HEADER.matcher(line);
        if (!m.matches()) {
            return false;
        }
        String first = m.group(1).split("\\s*\\.\\s*", 2)[0].replaceAll("^[\"']|[\"']$", "");
        return first.equals("domains") || first.equals("mx");
    }

    /** The first line of the comment block right above {@code header}, not before {@code floor}. */
    private static int leadingComments(List<String> lines, int header, int floor) {
        int start = header;
        while (start - 1 >= floor && lines.get(start - 1).strip().startsWith("#")) {
            start--;
        }
        return start;
    }

    private static void appendLines(StringBuilder out, List<String> lines, int from, int to) {
        for (int i = from; i < to; i++) {
            out.append(lines.get(i)).append('\n');
        }
    }

    private static ObjectNode parse(String text) throws JsonProcessingException {
        JsonNode root = TOML.readTree(text);
        return root != null && root.isObject() ? (ObjectNode) root : TOML.createObjectNode();
    }
}
