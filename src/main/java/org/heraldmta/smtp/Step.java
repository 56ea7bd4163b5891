package org.heraldmta.smtp;

import java.util.Locale;

/** The step of a delivery attempt at which something happened; named as in the delivery log and events. */
public enum Step {
    DNS, CONNECT, GREETING, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT;

    /** The lower-case name used in events.jsonl and the delivery log. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
