package org.heraldmta.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate written {@code "100/m"}, {@code "5/s"}, {@code "1000/h"} or {@code "20000/d"}: at most {@code count}
 * events per {@code per}. Herald spaces the events evenly ({@link #intervalNanos()} apart) rather than letting them
 * come in bursts.
 */
public record Rate(long count, Duration per) {

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*/\\s*(s|m|h|d)");

    public Rate {
        if (count < 1 || per == null || !per.isPositive()) {
            throw new IllegalArgumentException("a rate needs a count of at least 1 per a positive time");
        }
    }

    public static Rate parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rate");
        }
        long count = Long.parseLong(m.group(1));
        if (count < 1 || count > 1_000_000_000L) {
            throw new IllegalArgumentException("the count must be from 1 to 1000000000");
        }
        Duration per = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return new Rate(count, per);
    }

    /** The even spacing between two events. */
    public long intervalNanos() {
        return Math.max(1, per.toNanos() / count);
    }

    @Override
    public String toString() {
        String unit = switch ((int) per.toSeconds()) {
            case 1 -> "s";
            case 60 -> "m";
            case 3600 -> "h";
            default -> "d";
        };
        return count + "/" + unit;
    }
}
