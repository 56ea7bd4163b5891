package org.heraldmta.mail;

import java.util.List;
import java.util.Optional;

/**
 * One SMTP reply: a three-digit code, an optional enhanced status, and one or more text lines
 * (without the code and without the enhanced status).
 */
public record SmtpReply(int code, Optional<EnhancedStatus> enhanced, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines.isEmpty() ? List.of("") : lines);
        enhanced = enhanced == null ? Optional.empty() : enhanced;
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, Optional.of(EnhancedStatus.parse(enhanced)), List.of(text));
    }

    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, Optional.empty(), List.of(text));
    }

    /**
     * Builds a reply from received lines such as {@code 250-first} / {@code 250 4.1.1 last}, taking the
     * enhanced status from the first line when present.
     */
    public static SmtpReply fromLines(int code, List<String> texts) {
        Optional<EnhancedStatus> status = texts.isEmpty() ? Optional.empty() : EnhancedStatus.find(texts.get(0));
        if (status.isEmpty()) {
            return new SmtpReply(code, Optional.empty(), texts);
        }
        String prefix = status.get().toString();
        // Exactly the status and the one space after it (RFC 3463 §2), so that toWire() reads back the same.
        List<String> stripped = texts.stream()
                .map(t -> t.equals(prefix) ? "" : t.startsWith(prefix + " ") ? t.substring(prefix.length() + 1) : t)
                .toList();
        return new SmtpReply(code, status, stripped);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** All lines joined with a space, with the enhanced status: the form used in logs. */
    public String text() {
        String joined = String.join(" ", lines);
        return enhanced.map(e -> e + " " + joined).orElse(joined);
    }

    /** The reply as sent on the wire, CRLF-terminated lines. */
    public String toWire() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            enhanced.ifPresent(e -> out.append(e).append(' '));
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return code + " " + text();
    }
}
