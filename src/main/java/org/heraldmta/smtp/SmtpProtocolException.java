package org.heraldmta.smtp;

import java.io.IOException;

/** The server sent something that is not an SMTP reply, or too much of one: that server cannot be used. */
final class SmtpProtocolException extends IOException {

    SmtpProtocolException(String message) {
        super(message);
    }
}
