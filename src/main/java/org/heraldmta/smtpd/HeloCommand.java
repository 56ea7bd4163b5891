package org.heraldmta.smtpd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heraldmta.mail.SmtpReply;

/**
 * EHLO and HELO (RFC 5321 §4.1.1.1): records the client's name, ends any transaction, lists the extensions.
 * STARTTLS is listed when a certificate is available and TLS is not yet on; AUTH only where it may be used.
 */
final class HeloCommand implements CommandHandler {

    private static final int MAX_NAME = 255;

    private final boolean extended;

    HeloCommand(boolean extended) {
        this.extended = extended;
    }

    @Override
    public SmtpReply handle(SmtpSession session, String argument) {
        String verb = extended ? "EHLO" : "HELO";
        String trimmed = argument.strip();
        // Some clients add words after the name; the first word is the name.
        String name = trimmed.split(" ", 2)[0];
        if (name.isEmpty()) {
            return Replies.syntax("Syntax: " + verb + " hostname");
        }
        if (name.length() > MAX_NAME) {
            return Replies.syntax("Syntax: " + verb + " hostname (name too long)");
        }
        session.state().greeted(name, extended);
        ServerContext server = session.server();
        if (!extended) {
            return SmtpReply.of(250, server.hostname());
        }
        List<String> lines = new ArrayList<>(List.of(
                server.hostname(),
                "SIZE " + server.settings().maxMessageSize(),
                "PIPELINING",
                "8BITMIME",
                "ENHANCEDSTATUSCODES",
                "SMTPUTF8"));
        if (server.startTlsOffered(session.state())) {
            lines.add("STARTTLS");
        }
        if (server.authOffered(session.state())) {
            lines.add("AUTH " + AuthCommand.MECHANISMS);
        }
        // No enhanced status on EHLO replies (RFC 2034 §3).
        return new SmtpReply(250, Optional.empty(), lines);
    }
}
