package org.heraldmta.smtpd;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MAIL FROM (RFC 5321 §4.1.1.2) with SIZE (RFC 1870), BODY (RFC 6152) and SMTPUTF8 (RFC 6531): starts a
 * transaction. An authenticated user limited to some sender addresses gets {@code 553 5.7.1} for any other (the
 * null sender included).
 */
final class MailCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(MailCommand.class);

    private static final SmtpReply SYNTAX = Replies.syntax("Syntax: MAIL FROM:<address>");

    @Override
    public SmtpReply handle(SmtpSession session, String argument) {
        SessionState state = session.state();
        if (state.heloName().isEmpty()) {
            return Replies.NEED_HELO;
        }
        if (state.transaction().isPresent()) {
            return SmtpReply.of(503, "5.5.1", "Error: nested MAIL command");
        }
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "FROM");
        } catch (IllegalArgumentException e) {
            return SYNTAX;
        }
        if (!parsed.parameters().isEmpty() && !state.esmtp()) {
            return SmtpReply.of(555, "5.5.4", "Error: parameters need EHLO");
        }
        boolean smtpUtf8 = false;
        boolean eightBit = false;
        Set<String> seen = new HashSet<>();
        for (PathArgument.Parameter parameter : parsed.parameters()) {
            if (!seen.add(parameter.keyword())) {
                return Replies.syntax("Error: duplicate " + parameter.keyword() + " parameter");
            }
            switch (parameter.keyword()) {
                case "SIZE" -> {
                    String value = parameter.value().orElse("");
                    if (!value.matches("[0-9]{1,20}")) {
                        return Replies.syntax("Error: bad SIZE value");
                    }
                    if (exceeds(value, session.server().settings().maxMessageSize())) {
                        return SmtpReply.of(552, "5.3.4", "Error: message size exceeds fixed maximum message size");
                    }
                }
                case "BODY" -> {
                    String value = parameter.value().orElse("").toUpperCase(Locale.ROOT);
                    if (!value.equals("7BIT") && !value.equals("8BITMIME")) {
                        return Replies.syntax("Error: BODY must be 7BIT or 8BITMIME");
                    }
                    eightBit = value.equals("8BITMIME");
                }
                case "SMTPUTF8" -> {
                    if (parameter.value().isPresent()) {
                        return Replies.syntax("Error: SMTPUTF8 takes no value");
                    }
                    smtpUtf8 = true;
                }
                default -> {
                    return SmtpReply.of(555, "5.5.4", "Error: unsupported parameter " + parameter.keyword());
                }
            }
        }
        Address sender;
        if (parsed.path().isEmpty()) {
            sender = Address.NULL_SENDER;
        } else {
            if (!smtpUtf8 && !isAscii(parsed.path())) {
                return SmtpReply.of(553, "5.6.7", "Error: non-ASCII sender address needs SMTPUTF8");
            }
            try {
                sender = Address.parse(parsed.path());
            } catch (IllegalArgumentException e) {
                return SmtpReply.of(501, "5.1.7", "Bad sender address syntax: " + e.getMessage());
            }
        }
        if (state.user().isPresent() && !state.user().get().maySendAs(sender)) {
            log.info("{}: user {} may not send as <{}>", state.clientIp(), state.user().get().name(), sender);
            return SmtpReply.of(553, "5.7.1", "<" + sender + ">: Sender address rejected: not owned by user "
                    + state.user().get().name());
        }
        state.begin(new Transaction(sender, smtpUtf8, eightBit));
        return SmtpReply.of(250, "2.1.0", "Ok");
    }

    private static boolean exceeds(String digits, long max) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        return trimmed.length() > 18 || Long.parseLong(trimmed) > max;
    }

    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 128);
    }
}
