package org.heraldmta.smtpd;

import org.heraldmta.spool.SpooledMessage;

/**
 * Told about every message the server accepted. Called on the session's thread after
 * {@link org.heraldmta.spool.IncomingMessage#commit} returned and before the client gets its 250 reply, so it should
 * be quick (log an event, hand the message to the scheduler). An exception it throws is logged and does not
 * change the reply: the message is already safe in the spool.
 */
@FunctionalInterface
public interface MessageAcceptedListener {

    /** Ignores every message. */
    MessageAcceptedListener NONE = (message, clientIp, size) -> {
    };

    /**
     * @param message  the committed message, with its queue id and envelope
     * @param clientIp the client's IP address as text (never resolved to a name)
     * @param size     bytes stored, Herald's added header fields included
     */
    void accepted(SpooledMessage message, String clientIp, long size);
}
