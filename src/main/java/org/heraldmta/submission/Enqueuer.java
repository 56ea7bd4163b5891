package org.heraldmta.submission;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.smtpd.HeaderSectionWriter;
import org.heraldmta.smtpd.MessageAcceptedListener;
import org.heraldmta.smtpd.TraceFields;
import org.heraldmta.spool.IncomingMessage;
import org.heraldmta.spool.Spool;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one message into the spool as DATA does for SMTP: begin, write the content with Herald's Received field (and
 * Message-ID and Date when the message has none), commit (which returns once fsynced), then tell the listener. A message that fails on the way leaves nothing behind.
 */
final class Enqueuer {

    /** Writes a message's content after Herald's Received field. */
    @FunctionalInterface
    interface Content {
        /**
         * @param id  the message's queue id (for its Message-ID)
         * @param out output that repairs line ends and counts the size limit
         */
        void writeTo(QueueId id, CanonicalContent out) throws IOException, Refusal;
    }

    /** Names an HTTP client in the Received field, as smtpd names an SMTP one by its EHLO name. */
    static final String HELO_NAME = "http";

    /** As smtpd's default: header bytes held to look for Message-ID and Date. */
    private static final int MAX_HEADER_BLOCK = 100 * 1024;

    private static final Logger log = LoggerFactory.getLogger(Enqueuer.class);

    private final Spool spool;
    private final String hostname;
    private final InstantSource clock;
    private final MessageAcceptedListener listener;

    Enqueuer(Spool spool, String hostname, InstantSource clock, MessageAcceptedListener listener) {
        this.spool = spool;
        this.hostname = hostname;
        this.clock = clock;
        this.listener = listener;
    }

    String hostname() {
        return hostname;
    }

    InstantSource clock() {
        return clock;
    }

    /**
     * Stores one message.
     *
     * @throws Refusal 503 when the spool cannot store it, or whatever {@code content} refuses
     * @throws IOException when reading the request failed (the message is discarded)
     */
    SpooledMessage enqueue(Address sender, List<Address> recipients, String clientIp, long maxSize, Content content)
            throws Refusal, IOException {
        IncomingMessage message;
        try {
            message = spool.begin();
        } catch (SpoolException e) {
            throw spoolFailure(null, e.diskFull(), e);
        }
        try (message) {
            Instant received = clock.instant();
            SpoolStream toSpool = new SpoolStream(message.content());
            HeaderSectionWriter withTraceFields = new HeaderSectionWriter(toSpool,
                    TraceFields.received(HELO_NAME, IpLiterals.parse(clientIp), hostname, "HTTP", message.id(),
                            recipients, received),
                    TraceFields.messageId(message.id(), hostname), TraceFields.date(received), MAX_HEADER_BLOCK);
            CanonicalContent out = new CanonicalContent(withTraceFields, maxSize);
            try {
                content.writeTo(message.id(), out);
                out.finish();
                withTraceFields.finish();
            } catch (CanonicalContent.TooBig e) {
                throw new Refusal(413, "body", e.getMessage());
            } catch (CanonicalContent.Defect e) {
                throw Refusal.badField("body", e.getMessage());
            } catch (IOException e) {
                if (toSpool.failure != null) {
                    throw spoolFailure(message.id(), isDiskFull(toSpool.failure), toSpool.failure);
                }
                throw e;
            }
            boolean smtpUtf8 = sender.needsSmtpUtf8() || recipients.stream().anyMatch(Address::needsSmtpUtf8);
            Envelope envelope = new Envelope(sender, recipients, received, clientIp, HELO_NAME, smtpUtf8,
                    out.eightBit());
            SpooledMessage committed;
            try {
                committed = message.commit(envelope);
            } catch (SpoolException e) {
                throw spoolFailure(message.id(), e.diskFull(), e);
            }
            log.info("{}: accepted over HTTP from [{}], sender <{}>, {} recipient(s), {} bytes", committed.id(),
                    clientIp, sender, recipients.size(), committed.size());
            try {
                listener.accepted(committed, clientIp, committed.size());
            } catch (RuntimeException e) {
                log.error("{}: listener failed; the message is in the spool and recovery will find it",
                        committed.id(), e);
            }
            return committed;
        }
    }

    private static Refusal spoolFailure(QueueId id, boolean diskFull, Exception cause) {
        log.warn("spool refused {}: {}", id == null ? "a new message" : "message " + id, cause.toString());
        return new Refusal(503, "body", diskFull
                ? "the spool is out of disk space; nothing was queued, try again later"
                : "the spool cannot store messages right now; nothing was queued, try again later");
    }

    private static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SpoolException spoolException && spoolException.diskFull()) {
                return true;
            }
            String text = String.valueOf(t.getMessage());
            if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** The spool's stream, remembering its own failure so that it is not mistaken for the request's. */
    private static final class SpoolStream extends FilterOutputStream {
        IOException failure;

        SpoolStream(OutputStream spool) {
            super(new BufferedOutputStream(spool, 64 * 1024));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
