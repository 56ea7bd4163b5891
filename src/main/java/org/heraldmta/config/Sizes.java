package org.heraldmta.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes written {@code "25MB"}, {@code "512KB"}, {@code "1GB"} or a plain number of bytes. KB, MB and GB
 * are binary (1024-based), as mail administrators usually mean them (a "25MB" limit takes a 25 MiB attachment
 * encoded up to that size).
 */
public final class Sizes {

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KB|K|KIB|MB|M|MIB|GB|G|GIB)?");

    private Sizes() {
    }

    public static long parse(String text) {
        Matcher m = FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a size such as \"25MB\", \"512KB\" or a number of bytes");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "B" -> 1;
            case "K", "KB", "KIB" -> 1024;
            case "M", "MB", "MIB" -> 1024 * 1024;
            case "G", "GB", "GIB" -> 1024L * 1024 * 1024;
            default -> throw new IllegalStateException(unit);
        };
        return Math.multiplyExact(amount, factor);
    }
}
