package org.heraldmta.qmgr;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heraldmta.mail.SmtpReply;

/** Reads back a reply stored as text in a recipient's {@code lastReply} ("451 4.7.1 greylisted"). */
final class ReplyText {

    private static final Pattern REPLY = Pattern.compile("^([2-5][0-9][0-9])(?: (.*))?$", Pattern.DOTALL);

    private ReplyText() {
    }

    /** The reply, or empty when the text was a local failure ("connection refused") or nothing. */
    static Optional<SmtpReply> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = REPLY.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String rest = m.group(2) == null ? "" : m.group(2);
        return Optional.of(SmtpReply.fromLines(Integer.parseInt(m.group(1)), List.of(rest)));
    }
}
