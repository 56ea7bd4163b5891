package org.heraldmta.qmgr;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.IncomingMessage;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.RecoveryReport;
import org.heraldmta.spool.Spool;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;

/** An in-memory spool for queue manager tests that records every update and removal, in order. */
final class RecordingSpool implements Spool {

    /** One durable change: the recipient states written (or a removal). */
    record Change(QueueId id, List<RecipientStatus> recipients, boolean removed) {
    }

    private final Map<QueueId, SpooledMessage> messages = new ConcurrentHashMap<>();
    private final Map<QueueId, byte[]> contents = new ConcurrentHashMap<>();
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final QueueId.Generator ids;
    private final InstantSource clock;
    final AtomicBoolean commitsFail = new AtomicBoolean();

    RecordingSpool(InstantSource clock) {
        this.clock = clock;
        this.ids = new QueueId.Generator(clock);
    }

    /** Commits a message with the given sender and recipients, as the SMTP server would. */
    SpooledMessage accept(String sender, String... recipients) throws SpoolException {
        Address from = sender.isEmpty() ? Address.NULL_SENDER : Address.parse(sender);
        List<Address> to = java.util.Arrays.stream(recipients).map(Address::parse).toList();
        String content = "From: " + (sender.isEmpty() ? "MAILER-DAEMON@example.test" : sender) + "\r\n"
                + "To: " + String.join(", ", recipients) + "\r\n"
                + "Subject: test message\r\n"
                + "Message-ID: <m" + messages.size() + "@example.test>\r\n"
                + "\r\n"
                + "Hello.\r\n";
        try (IncomingMessage in = begin()) {
            in.content().write(content.getBytes(StandardCharsets.US_ASCII));
            return in.commit(new Envelope(from, to, clock.instant(), "127.0.0.1", "client.example.test", false,
                    false));
        } catch (IOException e) {
            throw new SpoolException("write failed", false, e);
        }
    }

    List<Change> changes() {
        return List.copyOf(changes);
    }

    List<Change> changesOf(QueueId id) {
        return changes.stream().filter(c -> c.id().equals(id)).toList();
    }

    byte[] content(QueueId id) {
        return contents.get(id);
    }

    @Override
    public RecoveryReport open() {
        return new RecoveryReport(messages.size(), List.of());
    }

    @Override
    public IncomingMessage begin() {
        QueueId id = ids.next();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new IncomingMessage() {
            private boolean committed;

            @Override
            public QueueId id() {
                return id;
            }

            @Override
            public OutputStream content() {
                return buffer;
            }

            @Override
            public long size() {
                return buffer.size();
            }

            @Override
            public SpooledMessage commit(Envelope envelope) throws SpoolException {
                if (commitsFail.get()) {
                    throw new SpoolException("disk full", true, null);
                }
                List<RecipientStatus> statuses = envelope.recipients().stream().map(RecipientStatus::pending)
                        .toList();
                SpooledMessage message = new SpooledMessage(id, envelope, buffer.size(), statuses, false);
                contents.put(id, buffer.toByteArray());
                messages.put(id, message);
                committed = true;
                return message;
            }

            @Override
            public void close() {
                if (!committed) {
                    buffer.reset();
                }
            }
        };
    }

    @Override
    public Collection<SpooledMessage> messages() {
        return new ArrayList<>(messages.values());
    }

    @Override
    public Optional<SpooledMessage> find(QueueId id) {
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public InputStream openContent(QueueId id) throws IOException {
        byte[] content = contents.get(id);
        if (content == null) {
            throw new IOException("no such message: " + id);
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public SpooledMessage update(QueueId id, List<RecipientStatus> recipients, boolean held) throws SpoolException {
        SpooledMessage old = messages.get(id);
        if (old == null) {
            throw new SpoolException("unknown message " + id);
        }
        SpooledMessage updated = new SpooledMessage(id, old.envelope(), old.size(), recipients, held);
        messages.put(id, updated);
        changes.add(new Change(id, List.copyOf(recipients), false));
        return updated;
    }

    @Override
    public void remove(QueueId id) throws SpoolException {
        if (messages.remove(id) == null) {
            throw new SpoolException("unknown message " + id);
        }
        contents.remove(id);
        changes.add(new Change(id, List.of(), true));
    }

    @Override
    public void close() {
    }
}
