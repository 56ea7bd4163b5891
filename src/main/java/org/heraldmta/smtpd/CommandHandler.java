package org.heraldmta.smtpd;

import java.io.IOException;
import org.heraldmta.mail.SmtpReply;

/** Handles one SMTP command: looks at the session's state, changes it, and returns the final reply. */
@FunctionalInterface
interface CommandHandler {

    /**
     * @param argument the text after the verb and one space, as sent (may be empty)
     * @throws IOException only when talking to the client fails (DATA reads from it)
     */
    SmtpReply handle(SmtpSession session, String argument) throws IOException;
}
