package org.heraldmta.config;

import java.time.Duration;
import java.util.List;

/**
 * The inbound SMTP server's settings ({@code [smtp]}).
 *
 * @param listen                   addresses to accept SMTP on (STARTTLS offered when a certificate is available)
 * @param maxMessageSize           largest message accepted, in bytes (advertised with SIZE)
 * @param maxRecipients            most recipients of one message (RFC 5321 §4.5.3.1.8 asks for at least 100)
 * @param commandTimeout           how long the server waits for the next command (RFC 5321 §4.5.3.2.7: 5 minutes)
 * @param dataTimeout              how long the server waits for the next block of DATA (RFC 5321 §4.5.3.2.6 asks
 *                                 3 minutes for the client; the server uses this for each read)
 * @param listenTls                addresses to accept SMTP over implicit TLS on (RFC 8314, usually port 465);
 *                                 default none
 * @param authWithoutTlsOnLoopback offer AUTH on connections without TLS when the connection arrived on a loopback
 *                                 address (the password never leaves the machine); default false: AUTH only
 *                                 after TLS
 */
public record SmtpSettings(List<ListenAddress> listen, long maxMessageSize, int maxRecipients,
                           Duration commandTimeout, Duration dataTimeout, List<ListenAddress> listenTls,
                           boolean authWithoutTlsOnLoopback) {

    public static final SmtpSettings DEFAULTS = new SmtpSettings(List.of(new ListenAddress("127.0.0.1", 2525)),
            25L * 1024 * 1024, 1000, Duration.ofMinutes(5), Duration.ofMinutes(5), List.of(), false);

    public SmtpSettings {
        listen = List.copyOf(listen);
        listenTls = List.copyOf(listenTls);
    }

    /** Plain listeners only, AUTH only after TLS. */
    public SmtpSettings(List<ListenAddress> listen, long maxMessageSize, int maxRecipients, Duration commandTimeout,
                        Duration dataTimeout) {
        this(listen, maxMessageSize, maxRecipients, commandTimeout, dataTimeout, List.of(), false);
    }

    public SmtpSettings withListenTls(List<ListenAddress> addresses) {
        return new SmtpSettings(listen, maxMessageSize, maxRecipients, commandTimeout, dataTimeout, addresses,
                authWithoutTlsOnLoopback);
    }

    public SmtpSettings withAuthWithoutTlsOnLoopback(boolean allowed) {
        return new SmtpSettings(listen, maxMessageSize, maxRecipients, commandTimeout, dataTimeout, listenTls,
                allowed);
    }
}
