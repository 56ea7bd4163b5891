package org.heraldmta.smtpd;

import org.heraldmta.mail.SmtpReply;

/**
 * STARTTLS (RFC 3207): answers 220, after which the session throws away anything the client sent ahead, runs the
 * handshake and starts over without a greeting ({@link SmtpSession}). Without a certificate: 502.
 */
final class StartTlsCommand implements CommandHandler {

    @Override
    public SmtpReply handle(SmtpSession session, String argument) {
        if (session.server().security().tls().isEmpty()) {
            return Replies.NOT_IMPLEMENTED;
        }
        if (!argument.isBlank()) {
            return Replies.syntax("Syntax: STARTTLS");
        }
        if (session.state().tls()) {
            return SmtpReply.of(503, "5.5.1", "Error: TLS already active");
        }
        session.startTlsAfterReply();
        return SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    }
}
