package org.heraldmta.smtp;

import java.time.Duration;

/**
 * How long the SMTP client waits at each step (RFC 5321 §4.5.3.2). Tests shrink them; production keeps
 * {@link #RFC_5321}.
 *
 * @param connect   TCP connect (not in the RFC; a dead address should not hold an attempt for minutes)
 * @param greeting  the 220 greeting (RFC: 5 minutes)
 * @param command   EHLO, HELO, STARTTLS and the TLS handshake, AUTH, RSET, QUIT (RFC 5321 gives none; 5 minutes)
 * @param mail      the reply to MAIL (RFC: 5 minutes)
 * @param rcpt      the reply to each RCPT (RFC: 5 minutes)
 * @param dataInit  the 354 reply to DATA (RFC: 2 minutes)
 * @param dataBlock each block of content written (RFC: 3 minutes)
 * @param dataEnd   the reply to the final dot (RFC: 10 minutes)
 */
public record SmtpClientTimeouts(Duration connect, Duration greeting, Duration command, Duration mail, Duration rcpt,
                                 Duration dataInit, Duration dataBlock, Duration dataEnd) {

    public static final SmtpClientTimeouts RFC_5321 = new SmtpClientTimeouts(Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5),
            Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10));

    public SmtpClientTimeouts {
        for (Duration each : new Duration[] {connect, greeting, command, mail, rcpt, dataInit, dataBlock, dataEnd}) {
            if (each == null || each.isNegative() || each.isZero()) {
                throw new IllegalArgumentException("every SMTP client time-out must be positive");
            }
        }
    }

    /** The same time-out for every step: for tests. */
    public static SmtpClientTimeouts all(Duration timeout) {
        return new SmtpClientTimeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout);
    }
}
