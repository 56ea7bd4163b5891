package org.heraldmta.smtpd;

import java.util.Optional;
import org.heraldmta.config.AccessRule;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RCPT TO (RFC 5321 §4.1.1.3): adds a recipient, within the recipient limit and only for clients that may relay:
 * authenticated ones, and others whose first matching {@code [access]} rule allows it. A refusal is
 * {@code 550 5.7.1} with the reason, and logged.
 */
final class RcptCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(RcptCommand.class);

    @Override
    public SmtpReply handle(SmtpSession session, String argument) {
        Transaction transaction = session.state().transaction().orElse(null);
        if (transaction == null) {
            return Replies.NEED_MAIL;
        }
        transaction.markRecipientTried();
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "TO");
        } catch (IllegalArgumentException e) {
            return Replies.syntax("Syntax: RCPT TO:<address>");
        }
        if (!parsed.parameters().isEmpty()) {
            return SmtpReply.of(555, "5.5.4",
                    "Error: unsupported parameter " + parsed.parameters().get(0).keyword());
        }
        if (parsed.path().isEmpty()) {
            return SmtpReply.of(501, "5.1.3", "Bad recipient address syntax: empty address");
        }
        if (!transaction.smtpUtf8() && !MailCommand.isAscii(parsed.path())) {
            return SmtpReply.of(553, "5.6.7", "Error: non-ASCII recipient address needs SMTPUTF8");
        }
        Address recipient;
        try {
            recipient = Address.parse(parsed.path());
        } catch (IllegalArgumentException e) {
            return SmtpReply.of(501, "5.1.3", "Bad recipient address syntax: " + e.getMessage());
        }
        ServerContext server = session.server();
        if (transaction.recipientCount() >= server.settings().maxRecipients()) {
            return SmtpReply.of(452, "4.5.3", "Error: too many recipients");
        }
        SessionState state = session.state();
        if (!state.authenticated()) {
            Optional<AccessRule> rule = server.access().ruleFor(state.clientAddress());
            if (rule.isEmpty() || rule.get().action() == AccessRule.Action.DENY) {
                String reason = rule.map(r -> "denied by rule \"" + r + "\"").orElse("not in any allow rule");
                log.info("relay denied: client {} ({}), sender <{}>, recipient <{}>", state.clientIp(), reason,
                        transaction.sender(), recipient);
                return SmtpReply.of(550, "5.7.1", "<" + recipient + ">: Relay access denied: client "
                        + state.clientIp() + " may not relay without authentication (" + reason + ")");
            }
        }
        transaction.addRecipient(recipient);
        return SmtpReply.of(250, "2.1.5", "Ok");
    }
}
