package org.heraldmta.smtpd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The argument of MAIL and RCPT: {@code FROM:<path> [param[=value] ...]} (RFC 5321 §4.1.2 and §3.3).
 *
 * <p>Lenient where clients commonly are (the keyword's case, spaces after the colon), strict where it matters:
 * the path must be in angle brackets, and quoted local parts may hold spaces and {@code >}.
 *
 * @param path       the text between the angle brackets, source route removed; empty for {@code <>}
 * @param parameters the ESMTP parameters in the order given
 */
record PathArgument(String path, List<Parameter> parameters) {

    /** One ESMTP parameter; the keyword upper-cased. */
    record Parameter(String keyword, Optional<String> value) {
    }

    private static final String AT_DOMAIN = "@(?:[A-Za-z0-9_.-]+|\\[[!-Z^-~]+\\])";
    private static final java.util.regex.Pattern SOURCE_ROUTE =
            java.util.regex.Pattern.compile(AT_DOMAIN + "(?:," + AT_DOMAIN + ")*:");

    PathArgument {
        parameters = List.copyOf(parameters);
    }

    /**
     * @param keyword {@code FROM} or {@code TO}
     * @throws IllegalArgumentException when the argument does not have the form {@code KEYWORD:<path> params}
     */
    static PathArgument parse(String argument, String keyword) {
        String prefix = keyword + ":";
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new IllegalArgumentException("expected " + prefix);
        }
        String rest = argument.substring(prefix.length()).stripLeading();
        if (!rest.startsWith("<")) {
            throw new IllegalArgumentException("the address must be in angle brackets");
        }
        int close = closingBracket(rest);
        String path = withoutSourceRoute(rest.substring(1, close));
        String tail = rest.substring(close + 1);
        if (!tail.isEmpty() && tail.charAt(0) != ' ') {
            throw new IllegalArgumentException("expected a space after the address");
        }
        return new PathArgument(path, parameters(tail));
    }

    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            } else if (c == '<' && !quoted) {
                throw new IllegalArgumentException("unexpected '<' in address");
            }
        }
        throw new IllegalArgumentException("missing '>'");
    }

    /** RFC 5321 §4.1.1.3: a source route ({@code @a,@b:user@c}) must be accepted and ignored. */
    private static String withoutSourceRoute(String path) {
        if (!path.startsWith("@")) {
            return path;
        }
        // Found by SmtpCommandFuzzTest: the first ':' may sit inside a quoted local part, so the route is matched
        // by its own grammar (At-domain *("," At-domain) ":") rather than cut at the first colon.
        java.util.regex.Matcher route = SOURCE_ROUTE.matcher(path);
        if (!route.lookingAt()) {
            throw new IllegalArgumentException("malformed source route");
        }
        String mailbox = path.substring(route.end());
        if (mailbox.isEmpty() || mailbox.startsWith("@")) {
            // A-d-l ":" Mailbox: one route, then a mailbox (found by SmtpCommandFuzzTest: "<@a:@b>" left "@b")
            throw new IllegalArgumentException("a source route must be followed by a mailbox");
        }
        return mailbox;
    }

    private static List<Parameter> parameters(String tail) {
        List<Parameter> parameters = new ArrayList<>();
        for (String word : tail.trim().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            if (name.isEmpty() || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
                throw new IllegalArgumentException("bad parameter keyword: " + name);
            }
            Optional<String> value = equals < 0 ? Optional.empty() : Optional.of(word.substring(equals + 1));
            parameters.add(new Parameter(name.toUpperCase(Locale.ROOT), value));
        }
        return parameters;
    }
}
