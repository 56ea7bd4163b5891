package org.heraldmta.admin;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What {@code /api/v1/status} says about the server itself.
 *
 * @param version        Herald's version
 * @param started        when this process started serving
 * @param smtpListeners  the addresses the SMTP listeners are bound to
 * @param inboundSessions SMTP sessions open now
 */
public record ServerInfo(String version, Instant started, Supplier<List<InetSocketAddress>> smtpListeners,
                         IntSupplier inboundSessions) {
}
