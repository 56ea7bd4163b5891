package org.heraldmta.smtp;

import java.util.regex.Pattern;
import org.heraldmta.mail.SmtpReply;

/**
 * Reads what a reply says beyond its code: whether a permanent failure blames the sending host rather than the
 * recipient (then the planner tries relay mode instead of bouncing), and whether a temporary one asks us to slow
 * down. Pure functions, no state.
 */
final class ReplyClassifier {

    private static final Pattern BLAMES_SENDER = Pattern.compile(
            "block\\s*list|blacklist|black\\s*list|deny\\s*list|reputation|policy|spamhaus|spamcop|barracuda"
                    + "|\\bdnsbl\\b|\\brbl\\b",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern SLOW_DOWN = Pattern.compile("rate\\s*limit|too\\s+many", Pattern.CASE_INSENSITIVE);

    private ReplyClassifier() {
    }

    /**
     * A 5xx blames the sender when it comes as the greeting (the server refuses to talk to us at all), carries a
     * 5.7.x security/policy status, or names a block list, reputation or policy.
     */
    static boolean blamesSender(Step step, SmtpReply reply) {
        if (!reply.isPermanentFailure()) {
            return false;
        }
        if (step == Step.GREETING) {
            return true;
        }
        boolean securityStatus = reply.enhanced().map(e -> e.subject() == 7).orElse(false);
        return securityStatus || BLAMES_SENDER.matcher(reply.text()).find();
    }

    /** A temporary failure that says "too fast": 421, 4.7.0, "rate limit", "too many". */
    static boolean asksToSlowDown(SmtpReply reply) {
        if (!reply.isTransientFailure()) {
            return false;
        }
        if (reply.code() == 421) {
            return true;
        }
        boolean status470 = reply.enhanced().map(e -> e.subject() == 7 && e.detail() == 0).orElse(false);
        return status470 || SLOW_DOWN.matcher(reply.text()).find();
    }
}
