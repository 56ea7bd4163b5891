package org.heraldmta.qmgr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.List;
import org.heraldmta.bounce.DeliveryStatusNotification;
import org.heraldmta.bounce.DsnBuilder;
import org.heraldmta.bounce.FailedRecipient;
import org.heraldmta.bounce.OriginalHeaders;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.spool.IncomingMessage;
import org.heraldmta.spool.Spool;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;

/**
 * Builds a delivery status notification for failed recipients and commits it to the spool, from the null sender to
 * the original sender, so that it is delivered like any message. It never sends anything itself.
 */
final class BounceQueuer {

    private final Spool spool;
    private final InstantSource clock;

    BounceQueuer(Spool spool, InstantSource clock) {
        this.spool = spool;
        this.clock = clock;
    }

    /**
     * Commits the notification; returns it as spooled (the caller enqueues it). The original must not be from the
     * null sender.
     */
    SpooledMessage queue(SpooledMessage original, List<FailedRecipient> failed, String hostname)
            throws SpoolException {
        Address sender = original.envelope().sender();
        DeliveryStatusNotification dsn = new DeliveryStatusNotification(original.id(), original.envelope(),
                headersOf(original), failed);
        try (IncomingMessage incoming = spool.begin()) {
            byte[] content = new DsnBuilder(hostname, clock).build(dsn, incoming.id().value());
            // Not closed here: the spool owns the stream until commit.
            try {
                OutputStream out = incoming.content();
                out.write(content);
                out.flush();
            } catch (IOException e) {
                throw new SpoolException("could not write a delivery status notification", false, e);
            }
            Envelope envelope = new Envelope(Address.NULL_SENDER, List.of(sender), clock.instant(), "local",
                    hostname, sender.needsSmtpUtf8(), hasEightBitBytes(content));
            return incoming.commit(envelope);
        }
    }

    private byte[] headersOf(SpooledMessage original) {
        try (InputStream content = spool.openContent(original.id())) {
            return OriginalHeaders.read(content, OriginalHeaders.DEFAULT_LIMIT);
        } catch (IOException e) {
            // The notification still goes out; it only lacks the original headers.
            return new byte[0];
        }
    }

    private static boolean hasEightBitBytes(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
