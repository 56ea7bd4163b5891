package org.heraldmta.config;

import java.time.Duration;
import java.util.List;

/**
 * The inbound SMTP server's settings ({@code [smtp]}).
 *
 * @param listen          addresses to accept SMTP on
 * @param maxMessageSize  largest message accepted, in bytes (advertised with SIZE)
 * @param maxRecipients   most recipients of one message (RFC 5321 §4.5.3.1.8 asks for at least 100)
 * @param commandTimeout  how long the server waits for the next command (RFC 5321 §4.5.3.2.7: 5 minutes)
 * @param dataTimeout     how long the server waits for the next block of DATA (RFC 5321 §4.5.3.2.6 asks 3 minutes
 *                        for the client; the server uses this for each read)
 */
public record SmtpSettings(List<ListenAddress> listen, long maxMessageSize, int maxRecipients,
                           Duration commandTimeout, Duration dataTimeout) {

    public static final SmtpSettings DEFAULTS = new SmtpSettings(List.of(new ListenAddress("127.0.0.1", 2525)),
            25L * 1024 * 1024, 1000, Duration.ofMinutes(5), Duration.ofMinutes(5));

    public SmtpSettings {
        listen = List.copyOf(listen);
    }
}
