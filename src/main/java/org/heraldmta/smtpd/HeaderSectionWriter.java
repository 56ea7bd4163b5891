package org.heraldmta.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes a message with Herald's header fields in front: always the Received field, and Message-ID and Date when
 * the message's own header section has none (RFC 5321 §4.4, RFC 5322 §3.6).
 *
 * <p>To know whether they are missing, the header section is held back (at most {@code maxHeaderBlock} bytes)
 * until it ends: at the empty line, at the first line that is not a header field, or at the end of the message.
 * From then on bytes pass straight through. When a header section outgrows the bound, the decision is made on
 * what was seen so far.
 *
 * <p>When the message's first lines are not header fields at all, an empty line is put between Herald's fields and
 * the message, so that the message stays its body rather than turning into broken header fields.
 *
 * <p>Expects CRLF line ends (the {@link DataReader} guarantees them for any message that is kept). Public because
 * the HTTP sending API adds the same fields to a raw message.
 */
public final class HeaderSectionWriter extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private final OutputStream target;
    private final String received;
    private final String messageIdField;
    private final String dateField;
    private final int maxHeaderBlock;
    private byte[] held = new byte[4096];
    private int heldLength;
    private int lineStart;
    private boolean sawMessageId;
    private boolean sawDate;
    private boolean passThrough;

    /**
     * @param received       the whole Received field, folded, ending in CRLF
     * @param messageIdField the Message-ID field to add when missing, ending in CRLF
     * @param dateField      the Date field to add when missing, ending in CRLF
     */
    public HeaderSectionWriter(OutputStream target, String received, String messageIdField, String dateField,
                        int maxHeaderBlock) {
        this.target = target;
        this.received = received;
        this.messageIdField = messageIdField;
        this.dateField = dateField;
        this.maxHeaderBlock = maxHeaderBlock;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int i = offset;
        int end = offset + length;
        while (i < end && !passThrough) {
            byte b = bytes[i++];
            hold(b);
            if (b == '\n') {
                lineEnded();
            } else if (heldLength >= maxHeaderBlock) {
                release(false, heldLength);
            }
        }
        if (i < end) {
            target.write(bytes, i, end - i);
        }
    }

    /** Writes out what is still held (a message that is all header) and flushes the target. */
    public void finish() throws IOException {
        if (!passThrough) {
            release(false, heldLength);
        }
        target.flush();
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    private void hold(byte b) {
        if (heldLength == held.length) {
            held = Arrays.copyOf(held, Math.min(held.length * 2, maxHeaderBlock + 1));
        }
        held[heldLength++] = b;
    }

    private void lineEnded() throws IOException {
        int start = lineStart;
        int contentLength = heldLength - start - 2; // without CRLF
        if (contentLength <= 0) {
            release(false, heldLength); // the empty line ends the header section
            return;
        }
        byte first = held[start];
        if (first == ' ' || first == '\t') {
            if (start == 0) {
                release(true, start); // a continuation line with nothing to continue: not a header section
                return;
            }
        } else {
            String name = fieldName(start, contentLength);
            if (name == null) {
                release(true, start);
                return;
            }
            sawMessageId |= name.equals("message-id");
            sawDate |= name.equals("date");
        }
        lineStart = heldLength;
        if (heldLength >= maxHeaderBlock) {
            release(false, heldLength);
        }
    }

    /** The lower-cased field name of a header line, or null when the line is not a header field. */
    private String fieldName(int start, int length) {
        int colon = -1;
        for (int i = start; i < start + length; i++) {
            if (held[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= start) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > start && (held[nameEnd - 1] == ' ' || held[nameEnd - 1] == '\t')) {
            nameEnd--; // obsolete syntax allows white space before the colon (RFC 5322 §4.5)
        }
        if (nameEnd == start) {
            return null;
        }
        for (int i = start; i < nameEnd; i++) {
            if (held[i] < 33 || held[i] > 126) {
                return null;
            }
        }
        return new String(held, start, nameEnd - start, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    }

    /**
     * Writes Herald's fields and what was held, and switches to passing bytes through.
     *
     * @param bodyStartsAt where the first line that is not a header field begins, when {@code separate} is set
     */
    private void release(boolean separate, int bodyStartsAt) throws IOException {
        passThrough = true;
        StringBuilder added = new StringBuilder(received);
        if (!sawMessageId) {
            added.append(messageIdField);
        }
        if (!sawDate) {
            added.append(dateField);
        }
        target.write(added.toString().getBytes(StandardCharsets.UTF_8));
        target.write(held, 0, bodyStartsAt);
        if (separate) {
            target.write(CRLF);
        }
        target.write(held, bodyStartsAt, heldLength - bodyStartsAt);
        held = null;
    }
}
