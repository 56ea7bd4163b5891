package org.heraldmta.smtpd;

/**
 * Limits of one SMTP session that are not (yet) in the configuration file.
 *
 * @param maxCommandLine  longest command line in octets, CRLF included (RFC 5321 §4.5.3.1.4: 512)
 * @param maxErrors       error replies (5xx) a client may provoke before it is disconnected with 421; the count
 *                        starts again after each accepted message (as Postfix's {@code smtpd_hard_error_limit})
 * @param maxHeaderBlock  most bytes of the message's header section held in memory to look for Message-ID and
 *                        Date; beyond it the rest streams through unexamined (as Postfix's {@code header_size_limit})
 */
public record SessionLimits(int maxCommandLine, int maxErrors, int maxHeaderBlock) {

    public static final SessionLimits DEFAULTS = new SessionLimits(512, 20, 100 * 1024);

    public SessionLimits {
        if (maxCommandLine < 512) {
            throw new IllegalArgumentException("RFC 5321 requires command lines of at least 512 octets");
        }
        if (maxErrors < 1 || maxHeaderBlock < 1024) {
            throw new IllegalArgumentException("maxErrors must be positive and maxHeaderBlock at least 1024");
        }
    }
}
