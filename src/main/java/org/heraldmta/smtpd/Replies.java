package org.heraldmta.smtpd;

import org.heraldmta.mail.SmtpReply;

/** The replies the server gives in more than one place, with their enhanced status codes (RFC 3463). */
final class Replies {

    private Replies() {
    }

    static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok");
    static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.2", "Error: line too long");
    static final SmtpReply UNRECOGNIZED = SmtpReply.of(500, "5.5.1", "Error: command unrecognized");
    static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, "5.5.1", "Error: command not implemented");
    static final SmtpReply NEED_HELO = SmtpReply.of(503, "5.5.1", "Error: send HELO/EHLO first");
    static final SmtpReply NEED_MAIL = SmtpReply.of(503, "5.5.1", "Error: need MAIL command");
    static final SmtpReply INSUFFICIENT_STORAGE = SmtpReply.of(452, "4.3.1", "Insufficient system storage");
    static final SmtpReply LOCAL_ERROR = SmtpReply.of(451, "4.3.0", "Error: queue file write error");

    static SmtpReply syntax(String text) {
        return SmtpReply.of(501, "5.5.4", text);
    }

    static SmtpReply badSyntax(String reason) {
        return SmtpReply.of(500, "5.5.2", "Error: " + reason);
    }

    static SmtpReply timeout(String hostname) {
        return SmtpReply.of(421, "4.4.2", hostname + " Error: timeout exceeded");
    }

    static SmtpReply tooManyErrors(String hostname) {
        return SmtpReply.of(421, "4.7.0", hostname + " Error: too many errors");
    }
}
