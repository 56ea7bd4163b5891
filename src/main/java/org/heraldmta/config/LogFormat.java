package org.heraldmta.config;

/** How the server writes its log lines to standard output ({@code [log] format}). */
public enum LogFormat {
    /** One readable line per entry: time, level, source, message. */
    PLAIN,
    /** One JSON object per line (logback's JsonEncoder), for log collectors. */
    JSON
}
