package org.heraldmta.config;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code [log]}: the server's own log on standard output, and when {@code events.jsonl} is rotated.
 *
 * @param format          plain lines (default) or JSON; the {@code HERALD_LOG_FORMAT} variable overrides it
 * @param eventsMaxSize   rotate once the next line would take the file past this size (default 100MB)
 * @param eventsMaxAge    rotate once the file's first line is this old (default 7d)
 * @param eventsKeep      rotated files kept; the oldest beyond this are deleted (default 10)
 */
public record LogSettings(LogFormat format, long eventsMaxSize, Duration eventsMaxAge, int eventsKeep) {

    public static final LogSettings DEFAULTS = new LogSettings(LogFormat.PLAIN, 100L * 1024 * 1024,
            Duration.ofDays(7), 10);

    static LogSettings read(TomlTable t) throws ConfigException {
        LogFormat format = t.parsed("format", DEFAULTS.format(), s -> LogFormat.valueOf(s.toUpperCase(Locale.ROOT)),
                "\"plain\" or \"json\"");
        long maxSize = t.size("events_max_size", DEFAULTS.eventsMaxSize());
        Duration maxAge = t.duration("events_max_age", DEFAULTS.eventsMaxAge());
        if (maxAge.isZero()) {
            throw t.error("events_max_age", "must be longer than 0s");
        }
        int keep = t.integer("events_keep", DEFAULTS.eventsKeep(), 1, 100_000);
        t.rejectUnknownKeys("format, events_max_size, events_max_age, events_keep");
        return new LogSettings(format, maxSize, maxAge, keep);
    }
}
