package org.heraldmta.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one TOML table key by key, checking types and values, and remembers which keys were read so that
 * {@link #rejectUnknownKeys()} can name any key Herald does not know. Every error names the file and the full key.
 */
final class TomlTable {

    private final String file;
    private final String path;
    private final ObjectNode node;
    private final Set<String> seen = new HashSet<>();

    TomlTable(String file, String path, ObjectNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    String fullKey(String key) {
        String quoted = key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
        return path.isEmpty() ? quoted : path + "." + quoted;
    }

    ConfigException error(String key, String allowed) {
        return new ConfigException(file + ": " + fullKey(key) + ": " + allowed);
    }

    /** An error about this table as a whole (e.g. a rule with a missing or extra key). */
    ConfigException error(String allowed) {
        return new ConfigException(file + ": " + path + ": " + allowed);
    }

    boolean has(String key) {
        return node.has(key);
    }

    Iterator<String> keys() {
        return node.fieldNames();
    }

    private Optional<JsonNode> take(String key) {
        seen.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    String string(String key, String fallback) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!value.get().isTextual()) {
            throw error(key, "must be a string (in double quotes), got " + describe(value.get()));
        }
        return value.get().asText();
    }

    Optional<String> optionalString(String key) throws ConfigException {
        return Optional.ofNullable(string(key, null));
    }

    int integer(String key, int fallback, int min, int max) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return fallback;
        }
        JsonNode v = value.get();
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(key, "must be a whole number from " + min + " to " + max + ", got " + describe(v));
        }
        int n = v.asInt();
        if (n < min || n > max) {
            throw error(key, "must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    boolean bool(String key, boolean fallback) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!value.get().isBoolean()) {
            throw error(key, "must be true or false (without quotes), got " + describe(value.get()));
        }
        return value.get().asBoolean();
    }

    Duration duration(String key, Duration fallback) throws ConfigException {
        Optional<JsonNode> value = take(key);
        return value.isEmpty() ? fallback : toDuration(key, value.get());
    }

    private Duration toDuration(String key, JsonNode v) throws ConfigException {
        if (v.isIntegralNumber() && v.asLong() >= 0) {
            return Duration.ofSeconds(v.asLong());
        }
        if (v.isTextual()) {
            try {
                return Durations.parse(v.asText());
            } catch (IllegalArgumentException e) {
                throw error(key, "must be " + e.getMessage() + ", got \"" + v.asText() + "\"");
            }
        }
        throw error(key, "must be a duration such as \"90s\", \"5m\", \"2h\", \"4d\" or a number of seconds, got "
                + describe(v));
    }

    /** A duration or a list of durations (growing back-off). */
    List<Duration> durations(String key, List<Duration> fallback) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return fallback;
        }
        JsonNode v = value.get();
        if (!v.isArray()) {
            return List.of(toDuration(key, v));
        }
        if (v.isEmpty()) {
            throw error(key, "must hold at least one duration");
        }
        List<Duration> out = new ArrayList<>();
        for (JsonNode item : v) {
            out.add(toDuration(key, item));
        }
        return out;
    }

    long size(String key, long fallback) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return fallback;
        }
        JsonNode v = value.get();
        if (v.isIntegralNumber() && v.asLong() > 0) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                long n = Sizes.parse(v.asText());
                if (n > 0) {
                    return n;
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                // reported below
            }
        }
        throw error(key, "must be a size such as \"25MB\", \"512KB\" or a number of bytes, got " + describe(v));
    }

    <T> List<T> list(String key, List<T> fallback, Function<String, T> parse, String allowed) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return fallback;
        }
        JsonNode v = value.get();
        if (!v.isArray()) {
            throw error(key, "must be a list of strings such as [" + allowed + "], got " + describe(v));
        }
        List<T> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw error(key, "must be a list of strings such as [" + allowed + "], got an item " + describe(item));
            }
            try {
                out.add(parse.apply(item.asText()));
            } catch (IllegalArgumentException e) {
                throw error(key, "\"" + item.asText() + "\" is not valid: " + e.getMessage());
            }
        }
        return out;
    }

    <T> T parsed(String key, T fallback, Function<String, T> parse, String allowed) throws ConfigException {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw error(key, "must be " + allowed + ", got \"" + text + "\" (" + e.getMessage() + ")");
        }
    }

    Optional<TomlTable> table(String key) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isObject()) {
            throw error(key, "must be a table ([" + fullKey(key) + "]), got " + describe(value.get()));
        }
        return Optional.of(new TomlTable(file, fullKey(key), (ObjectNode) value.get()));
    }

    List<TomlTable> tableArray(String key) throws ConfigException {
        return tableArray(key, "an array of tables ([[" + fullKey(key) + "]])");
    }

    /** An array of tables, written {@code [[key]]} or as a list of inline tables {@code [{...}, {...}]}. */
    List<TomlTable> tableArray(String key, String allowed) throws ConfigException {
        Optional<JsonNode> value = take(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!value.get().isArray()) {
            throw error(key, "must be " + allowed + ", got " + describe(value.get()));
        }
        List<TomlTable> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : value.get()) {
            if (!item.isObject()) {
                throw error(key, "must be " + allowed + ", got an item " + describe(item));
            }
            out.add(new TomlTable(file, fullKey(key) + "[" + i++ + "]", (ObjectNode) item));
        }
        return out;
    }

    void rejectUnknownKeys(String known) throws ConfigException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!seen.contains(name)) {
                throw error(name, "unknown key; allowed here: " + known);
            }
        }
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + v.asText() + "\"";
        }
        if (v.isBoolean()) {
            return "the boolean " + v.asText();
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isObject()) {
            return "a table";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
