package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How the admin API's values read for a person: local times, short durations, sizes in KiB/MiB. */
final class HumanFormat {

    private final DateTimeFormatter time;
    private final DateTimeFormatter clock;

    HumanFormat(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
    }

    /** An ISO-8601 instant as local date and time; "-" when absent. */
    String time(JsonNode instant) {
        Instant parsed = instant(instant);
        return parsed == null ? "-" : time.format(parsed);
    }

    /** An ISO-8601 instant as local time of day with milliseconds (transcript lines). */
    String clock(JsonNode instant) {
        Instant parsed = instant(instant);
        return parsed == null ? "-" : clock.format(parsed);
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Seconds as "42s", "5m 03s", "2h 10m", "3d 4h". */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %dh", seconds / 86400, seconds % 86400 / 3600);
    }

    /** Bytes as "812 B", "4.2 KiB", "1.5 MiB". */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** A text field, or null (printed "-") when absent or empty. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
