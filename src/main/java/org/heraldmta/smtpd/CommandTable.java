package org.heraldmta.smtpd;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.heraldmta.mail.SmtpReply;

/** Which handler answers which verb. Verbs are matched without regard to case (RFC 5321 §2.4). */
final class CommandTable {

    /** Commands of SMTP and its extensions that Herald knows but does not offer. */
    private static final Set<String> NOT_IMPLEMENTED =
            Set.of("EXPN", "TURN", "ETRN", "ATRN", "BDAT", "SEND", "SOML", "SAML", "XCLIENT", "XFORWARD");

    /**
     * Verbs of HTTP. A browser can be made to POST to an SMTP port with commands in the body (a cross-protocol
     * attack); such a connection is closed at once, as Postfix's {@code smtpd_forbidden_commands} does.
     */
    private static final Set<String> FORBIDDEN = Set.of("GET", "POST", "HEAD", "PUT", "CONNECT", "OPTIONS");

    private final Map<String, CommandHandler> handlers = new HashMap<>();

    CommandTable() {
        handlers.put("EHLO", new HeloCommand(true));
        handlers.put("HELO", new HeloCommand(false));
        handlers.put("MAIL", new MailCommand());
        handlers.put("RCPT", new RcptCommand());
        handlers.put("DATA", new DataCommand());
        handlers.put("STARTTLS", new StartTlsCommand());
        handlers.put("AUTH", new AuthCommand());
        handlers.put("RSET", (session, argument) -> {
            if (!argument.isBlank()) {
                return Replies.syntax("Syntax: RSET");
            }
            session.state().reset();
            return Replies.OK;
        });
        handlers.put("NOOP", (session, argument) -> Replies.OK);
        handlers.put("QUIT", (session, argument) -> {
            session.closeAfterReply();
            return SmtpReply.of(221, "2.0.0", "Bye");
        });
        handlers.put("VRFY", (session, argument) -> argument.isBlank()
                ? Replies.syntax("Syntax: VRFY address")
                : SmtpReply.of(252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery"));
        handlers.put("HELP", (session, argument) ->
                SmtpReply.of(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"));
        for (String verb : NOT_IMPLEMENTED) {
            handlers.put(verb, (session, argument) -> Replies.NOT_IMPLEMENTED);
        }
        for (String verb : FORBIDDEN) {
            handlers.put(verb, (session, argument) -> {
                session.closeAfterReply();
                return SmtpReply.of(421, "4.7.0", session.server().hostname()
                        + " Error: this is an SMTP server, not a web server; closing connection");
            });
        }
    }

    CommandHandler handlerFor(String verb) {
        return handlers.getOrDefault(verb.toUpperCase(Locale.ROOT), (session, argument) -> Replies.UNRECOGNIZED);
    }
}
