package org.heraldmta.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every key a {@code [domains.*]} or {@code [mx.*]} table accepts: how it is read and checked, where it sits in
 * {@link DomainSettings}, and how {@code herald config explain} writes its value.
 *
 * <p>The destination keys ({@link #isDestinationKey()}) describe a budget shared by everything sent to one
 * destination; for a domain that belongs to an MX rule they come from the MX rule, since all its domains share them.
 */
public enum DomainKey {
    DIRECT_ATTEMPTS(false),
    RELAY_ATTEMPTS(false),
    MAX_CONNECTIONS(true),
    DELAY_AFTER_FAILURE(false),
    MAX_CONTINUOUS(true),
    DELAY_FOR_CONTINUING(true),
    MAX_MESSAGES_PER_CONNECTION(false),
    MAX_MESSAGE_RATE(true),
    MAX_CONNECTION_RATE(true),
    MAX_AGE(false),
    PORT(false),
    HELO_NAME(false),
    SOURCE_ADDRESS(false),
    TLS(false),
    THROTTLE_REPLIES(true),
    THROTTLE_PAUSE(true);

    private final boolean destinationKey;

    DomainKey(boolean destinationKey) {
        this.destinationKey = destinationKey;
    }

    /** The key as written in the file. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A limit counted across the whole destination (for an MX rule: across all its domains). */
    public boolean isDestinationKey() {
        return destinationKey;
    }

    /** Every key, comma-separated, for error messages. */
    public static String allKeys() {
        return java.util.Arrays.stream(values()).map(DomainKey::key).collect(Collectors.joining(", "));
    }

    /** Reads and checks this key from {@code table}, which must have it. */
    Object read(TomlTable t) throws ConfigException {
        String k = key();
        return switch (this) {
            case DIRECT_ATTEMPTS, RELAY_ATTEMPTS -> t.integer(k, 0, 0, 1000);
            case MAX_CONNECTIONS -> t.integer(k, 0, 1, 10000);
            case DELAY_AFTER_FAILURE -> t.durations(k, List.of());
            case MAX_CONTINUOUS -> t.integer(k, 0, 1, 1_000_000);
            case DELAY_FOR_CONTINUING, MAX_AGE -> t.duration(k, Duration.ZERO);
            case MAX_MESSAGES_PER_CONNECTION -> t.integer(k, 0, 1, 1_000_000);
            case MAX_MESSAGE_RATE, MAX_CONNECTION_RATE -> Optional.of(t.parsed(k, null, Rate::parse,
                    "a rate such as \"100/m\", \"5/s\", \"1000/h\" or \"20000/d\""));
            case PORT -> t.integer(k, 25, 1, 65535);
            case HELO_NAME -> Optional.of(t.parsed(k, null, DomainKey::checkHostname,
                    "a fully qualified host name such as \"mail.example.org\""));
            case SOURCE_ADDRESS -> Optional.of(t.parsed(k, null, DomainKey::checkIpLiteral,
                    "an IP address of this machine such as \"192.0.2.10\" or \"2001:db8::10\""));
            case TLS -> t.parsed(k, null, DirectTls::parse, "one of \"opportunistic\", \"required\", \"off\"");
            case THROTTLE_REPLIES -> t.list(k, List.of(), DomainKey::checkReplyPattern,
                    "\"421\", \"4.7.0\", \"rate limit\"");
            case THROTTLE_PAUSE -> positive(t, k);
        };
    }

    /** This key's value in {@code settings}. */
    public Object get(DomainSettings s) {
        return switch (this) {
            case DIRECT_ATTEMPTS -> s.directAttempts();
            case RELAY_ATTEMPTS -> s.relayAttempts();
            case MAX_CONNECTIONS -> s.maxConnections();
            case DELAY_AFTER_FAILURE -> s.delayAfterFailure();
            case MAX_CONTINUOUS -> s.maxContinuous();
            case DELAY_FOR_CONTINUING -> s.delayForContinuing();
            case MAX_MESSAGES_PER_CONNECTION -> s.maxMessagesPerConnection();
            case MAX_MESSAGE_RATE -> s.maxMessageRate();
            case MAX_CONNECTION_RATE -> s.maxConnectionRate();
            case MAX_AGE -> s.maxAge();
            case PORT -> s.port();
            case HELO_NAME -> s.heloName();
            case SOURCE_ADDRESS -> s.sourceAddress();
            case TLS -> s.tls();
            case THROTTLE_REPLIES -> s.throttleReplies();
            case THROTTLE_PAUSE -> s.throttlePause();
        };
    }

    /** A value of this key as it would be written in the file (in parentheses what an unset optional one means). */
    public String format(Object value) {
        return switch (value) {
            case Optional<?> o -> o.map(this::format).orElseGet(this::unset);
            case Duration d -> "\"" + Durations.format(d) + "\"";
            case DirectTls tls -> "\"" + tls.label() + "\"";
            case Rate r -> "\"" + r + "\"";
            case String text -> "\"" + text + "\"";
            case List<?> list when this == DELAY_AFTER_FAILURE && list.size() == 1 -> format(list.get(0));
            case List<?> list -> list.stream().map(this::format).collect(Collectors.joining(", ", "[", "]"));
            default -> String.valueOf(value);
        };
    }

    private String unset() {
        return switch (this) {
            case HELO_NAME -> "(the hostname)";
            case SOURCE_ADDRESS -> "(the system's choice)";
            default -> "(no limit)";
        };
    }

    private static Duration positive(TomlTable t, String key) throws ConfigException {
        Duration d = t.duration(key, Duration.ZERO);
        if (!d.isPositive()) {
            throw t.error(key, "must be longer than 0s");
        }
        return d;
    }

    private static String checkHostname(String name) {
        org.heraldmta.mail.Domain.of(name);
        if (!name.contains(".")) {
            throw new IllegalArgumentException("not fully qualified");
        }
        return name;
    }

    private static String checkIpLiteral(String text) {
        if (!IpLiterals.isLiteral(text)) {
            throw new IllegalArgumentException("not an IP address; host names are not allowed here");
        }
        return text;
    }

    private static String checkReplyPattern(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("an empty pattern would match every reply");
        }
        return text;
    }
}
