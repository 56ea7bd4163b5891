package org.heraldmta.qmgr;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Matches replies against {@code throttle_replies}: a three-digit pattern matches the reply code, a pattern such as
 * {@code 4.7.0} the enhanced status code, anything else a part of the reply's text; all without regard to case.
 */
final class ThrottleReplies {

    private static final Pattern CODE = Pattern.compile("\\d{3}");
    private static final Pattern ENHANCED = Pattern.compile("\\d\\.\\d{1,3}\\.\\d{1,3}");

    private ThrottleReplies() {
    }

    /** The first of {@code replies} (each a reply line such as "421 4.7.0 Try later") that a pattern matches. */
    static Optional<String> firstMatch(List<String> patterns, List<String> replies) {
        if (patterns.isEmpty()) {
            return Optional.empty();
        }
        for (String reply : replies) {
            for (String pattern : patterns) {
                if (matches(pattern, reply)) {
                    return Optional.of(reply);
                }
            }
        }
        return Optional.empty();
    }

    static boolean matches(String pattern, String reply) {
        String[] words = reply.trim().split("[\\s-]+", 3);
        String p = pattern.trim();
        if (CODE.matcher(p).matches()) {
            return words.length > 0 && words[0].equals(p);
        }
        if (ENHANCED.matcher(p).matches()) {
            for (int i = 0; i < Math.min(2, words.length); i++) {
                if (words[i].equals(p)) {
                    return true;
                }
            }
            return false;
        }
        return reply.toLowerCase(Locale.ROOT).contains(p.toLowerCase(Locale.ROOT));
    }
}
