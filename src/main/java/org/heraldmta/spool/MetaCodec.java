package org.heraldmta.spool;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;

/**
 * The compact binary form of record metadata. Hand-written rather than JSON because it sits on the commit path of
 * every message, must round-trip every field exactly (an {@link Instant}'s nanoseconds, an address as its two
 * parts, with no parsing rules in between), and needs no reflection over the shared mail records. Every record
 * starts with a format version so that a later Herald can still read what an earlier one wrote.
 */
final class MetaCodec {

    static final byte VERSION = 1;

    private MetaCodec() {
    }

    static byte[] encode(JournalRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, record.id().value());
            switch (record) {
                case JournalRecord.Message m -> {
                    writeEnvelope(out, m.message().envelope());
                    writeStatuses(out, m.message().recipients());
                    out.writeBoolean(m.message().held());
                }
                case JournalRecord.Update u -> {
                    writeStatuses(out, u.recipients());
                    out.writeBoolean(u.held());
                }
                case JournalRecord.Remove r -> {
                    // the id says it all
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen with an in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads metadata back. The content length of a MESSAGE record is its size.
     *
     * @throws IllegalArgumentException when the bytes do not form valid metadata
     */
    static JournalRecord decode(RecordType type, byte[] meta, long contentLength) {
        ByteBuffer in = ByteBuffer.wrap(meta);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown metadata version " + version);
            }
            QueueId id = new QueueId(readString(in));
            JournalRecord record = switch (type) {
                case MESSAGE -> {
                    Envelope envelope = readEnvelope(in);
                    List<RecipientStatus> statuses = readStatuses(in);
                    yield new JournalRecord.Message(new SpooledMessage(id, envelope, contentLength, statuses,
                            readBoolean(in)));
                }
                case UPDATE -> new JournalRecord.Update(id, readStatuses(in), readBoolean(in));
                case REMOVE -> new JournalRecord.Remove(id);
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected bytes after metadata");
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("metadata ends early", e);
        }
    }

    private static void writeEnvelope(DataOutputStream out, Envelope envelope) throws IOException {
        writeAddress(out, envelope.sender());
        out.writeInt(envelope.recipients().size());
        for (Address recipient : envelope.recipients()) {
            writeAddress(out, recipient);
        }
        writeInstant(out, envelope.received());
        writeString(out, envelope.clientIp());
        writeString(out, envelope.heloName());
        out.writeBoolean(envelope.smtpUtf8());
        out.writeBoolean(envelope.eightBitMime());
    }

    private static Envelope readEnvelope(ByteBuffer in) {
        Address sender = readAddress(in);
        int count = readCount(in);
        List<Address> recipients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            recipients.add(readAddress(in));
        }
        return new Envelope(sender, recipients, readInstant(in), readString(in), readString(in), readBoolean(in),
                readBoolean(in));
    }

    private static void writeStatuses(DataOutputStream out, List<RecipientStatus> statuses) throws IOException {
        out.writeInt(statuses.size());
        for (RecipientStatus status : statuses) {
            writeAddress(out, status.recipient());
            writeString(out, status.state().name());
            out.writeInt(status.directAttempts());
            out.writeInt(status.relayAttempts());
            writeInstant(out, status.notBefore());
            writeString(out, status.lastStep());
            writeString(out, status.lastReply());
        }
    }

    private static List<RecipientStatus> readStatuses(ByteBuffer in) {
        int count = readCount(in);
        List<RecipientStatus> statuses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            statuses.add(new RecipientStatus(readAddress(in), RecipientState.valueOf(readString(in)), in.getInt(),
                    in.getInt(), readInstant(in), readString(in), readString(in)));
        }
        return statuses;
    }

    /** Local part and domain apart, so that nothing is re-parsed or re-normalised on the way back. */
    private static void writeAddress(DataOutputStream out, Address address) throws IOException {
        writeString(out, address.localPart());
        writeString(out, address.domain() == null ? "" : address.domain().name());
    }

    private static Address readAddress(ByteBuffer in) {
        String local = readString(in);
        String domain = readString(in);
        return domain.isEmpty() ? new Address(local, null) : new Address(local, new Domain(domain));
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        int length = readCount(in);
        if (length > in.remaining()) {
            throw new IllegalArgumentException("string longer than the metadata");
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static int readCount(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("implausible count " + count);
        }
        return count;
    }

    private static boolean readBoolean(ByteBuffer in) {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException("not a boolean: " + b);
        }
        return b == 1;
    }
}
