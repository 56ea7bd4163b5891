package org.heraldmta.smtp;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.heraldmta.mail.SmtpReply;

/**
 * What a server said it supports in its EHLO reply (RFC 5321 §4.1.1.1 and the extensions' RFCs).
 *
 * @param sizeLimit the SIZE value (RFC 1870); present when SIZE was offered, 0 meaning no stated limit
 */
record ServerCapabilities(boolean extended, boolean pipelining, OptionalLong sizeLimit, boolean eightBitMime,
                          boolean smtpUtf8, boolean startTls, Set<String> authMechanisms) {

    /** A server that only answered HELO: no extensions at all. */
    static final ServerCapabilities HELO_ONLY = new ServerCapabilities(false, false, OptionalLong.empty(), false,
            false, false, Set.of());

    ServerCapabilities {
        authMechanisms = Set.copyOf(authMechanisms);
    }

    static ServerCapabilities fromEhlo(SmtpReply reply) {
        boolean pipelining = false;
        boolean eightBitMime = false;
        boolean smtpUtf8 = false;
        boolean startTls = false;
        OptionalLong size = OptionalLong.empty();
        Set<String> auth = new LinkedHashSet<>();
        // the first line is the server's greeting name, the others one keyword each
        for (String line : reply.lines().subList(1, reply.lines().size())) {
            String[] words = line.trim().toUpperCase(Locale.ROOT).split("[\\s=]+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBitMime = true;
                case "SMTPUTF8" -> smtpUtf8 = true;
                case "STARTTLS" -> startTls = true;
                case "SIZE" -> size = OptionalLong.of(words.length > 1 ? parseSize(words[1]) : 0);
                case "AUTH" -> {
                    for (int i = 1; i < words.length; i++) {
                        auth.add(words[i]);
                    }
                }
                default -> {
                    // an extension Herald does not use
                }
            }
        }
        return new ServerCapabilities(true, pipelining, size, eightBitMime, smtpUtf8, startTls, auth);
    }

    private static long parseSize(String text) {
        try {
            return Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** True when the server stated a SIZE limit that {@code messageSize} exceeds. */
    boolean tooBig(long messageSize) {
        return sizeLimit.isPresent() && sizeLimit.getAsLong() > 0 && messageSize > sizeLimit.getAsLong();
    }
}
