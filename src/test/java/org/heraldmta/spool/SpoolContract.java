package org.heraldmta.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Spool} must do, as {@code @Test} default methods: an implementation's test implements this
 * interface and supplies {@link #spool()} and {@link #restart()}.
 */
public interface SpoolContract {

    /** The spool under test: opened and empty at the start of each test. */
    Spool spool();

    /**
     * Closes the spool under test and opens a new instance on the same storage, as a server restart does; from
     * then on {@link #spool()} returns the new instance.
     */
    RecoveryReport restart() throws IOException;

    Instant RECEIVED = Instant.parse("2026-12-03T19:50:42.123456789Z");

    static Envelope envelope(String... recipients) {
        return new Envelope(Address.parse("sender@origin.test"),
                Arrays.stream(recipients).map(Address::parse).toList(), RECEIVED, "127.0.0.1", "client.origin.test",
                false, true);
    }

    static SpooledMessage store(Spool spool, byte[] content, String... recipients) throws Exception {
        try (IncomingMessage incoming = spool.begin()) {
            OutputStream out = incoming.content();
            // in pieces, as a DATA reader writes
            for (int i = 0; i < content.length; i += 8192) {
                out.write(content, i, Math.min(8192, content.length - i));
            }
            return incoming.commit(envelope(recipients));
        }
    }

    static byte[] contentOf(Spool spool, QueueId id) throws IOException {
        try (InputStream in = spool.openContent(id)) {
            return in.readAllBytes();
        }
    }

    static byte[] text(String body) {
        return ("Subject: test\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    default void committedMessageIsFoundWithEveryRecipientPending() throws Exception {
        SpooledMessage stored = store(spool(), text("hello"), "a@one.test", "b@two.test");

        assertThat(spool().find(stored.id())).contains(stored);
        assertThat(stored.envelope()).isEqualTo(envelope("a@one.test", "b@two.test"));
        assertThat(stored.size()).isEqualTo(text("hello").length);
        assertThat(stored.held()).isFalse();
        assertThat(stored.recipients()).extracting(RecipientStatus::state)
                .containsExactly(RecipientState.PENDING, RecipientState.PENDING);
        assertThat(spool().messages()).containsExactly(stored);
    }

    @Test
    default void idIsKnownBeforeCommitAndKeptByIt() throws Exception {
        try (IncomingMessage incoming = spool().begin()) {
            QueueId id = incoming.id();
            incoming.content().write(text("x"));
            assertThat(incoming.size()).isEqualTo(text("x").length);
            assertThat(spool().find(id)).isEmpty();
            assertThat(incoming.commit(envelope("a@one.test")).id()).isEqualTo(id);
            assertThat(spool().find(id)).isPresent();
        }
    }

    @Test
    default void contentComesBackByteForByteIncludingEveryOctetValue() throws Exception {
        byte[] everyOctet = new byte[256 * 4];
        for (int i = 0; i < everyOctet.length; i++) {
            everyOctet[i] = (byte) i;
        }
        byte[] eightBit = "Subject: caf\u00e9\r\n\r\nGr\u00fc\u00dfe \u65e5\u672c\r\n".getBytes(StandardCharsets.UTF_8);
        SpooledMessage binary = store(spool(), everyOctet, "a@one.test");
        SpooledMessage utf8 = store(spool(), eightBit, "a@one.test");
        SpooledMessage empty = store(spool(), new byte[0], "a@one.test");

        assertThat(contentOf(spool(), binary.id())).isEqualTo(everyOctet);
        assertThat(contentOf(spool(), utf8.id())).isEqualTo(eightBit);
        assertThat(contentOf(spool(), empty.id())).isEmpty();
    }

    @Test
    default void contentLargerThanOneMegabyteComesBackExactly() throws Exception {
        byte[] large = randomBytes(3 * 1024 * 1024 + 17, 42);
        SpooledMessage stored = store(spool(), large, "a@one.test");

        assertThat(stored.size()).isEqualTo(large.length);
        assertThat(contentOf(spool(), stored.id())).isEqualTo(large);
        restart();
        assertThat(contentOf(spool(), stored.id())).isEqualTo(large);
    }

    @Test
    default void updatedStatesAndHeldFlagAreKeptAndSurviveARestart() throws Exception {
        SpooledMessage stored = store(spool(), text("update me"), "a@one.test", "b@two.test");
        List<RecipientStatus> changed = List.of(
                new RecipientStatus(Address.parse("a@one.test"), RecipientState.DELIVERED, 1, 0,
                        Instant.EPOCH, "data", "250 2.0.0 ok"),
                new RecipientStatus(Address.parse("b@two.test"), RecipientState.PENDING, 2, 1,
                        Instant.parse("2026-12-03T20:00:00.5Z"), "rcpt", "451 4.7.1 try again later"));

        SpooledMessage updated = spool().update(stored.id(), changed, true);

        assertThat(updated.recipients()).isEqualTo(changed);
        assertThat(updated.held()).isTrue();
        assertThat(updated.envelope()).isEqualTo(stored.envelope());
        assertThat(spool().find(stored.id())).contains(updated);
        restart();
        assertThat(spool().find(stored.id())).contains(updated);
        assertThat(contentOf(spool(), stored.id())).isEqualTo(text("update me"));
    }

    @Test
    default void onlyTheNewestUpdateCounts() throws Exception {
        SpooledMessage stored = store(spool(), text("twice"), "a@one.test");
        Address a = Address.parse("a@one.test");
        spool().update(stored.id(), List.of(new RecipientStatus(a, RecipientState.PENDING, 1, 0,
                Instant.EPOCH, "connect", "refused")), false);
        SpooledMessage last = spool().update(stored.id(), List.of(new RecipientStatus(a, RecipientState.BOUNCED,
                1, 1, Instant.EPOCH, "rcpt", "550 5.1.1 no such user")), false);

        restart();

        assertThat(spool().find(stored.id())).contains(last);
    }

    @Test
    default void removedMessageIsGoneAndStaysGoneAfterARestart() throws Exception {
        SpooledMessage kept = store(spool(), text("keep"), "a@one.test");
        SpooledMessage removed = store(spool(), text("remove"), "a@one.test");

        spool().remove(removed.id());

        assertThat(spool().find(removed.id())).isEmpty();
        assertThatThrownBy(() -> spool().openContent(removed.id())).isInstanceOf(IOException.class);
        restart();
        assertThat(spool().messages()).containsExactly(kept);
    }

    @Test
    default void restartRecoversExactlyTheSameMessagesAndStates() throws Exception {
        Map<QueueId, byte[]> contents = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            byte[] content = randomBytes(100 + i * 700, i);
            SpooledMessage m = store(spool(), content, "r" + i + "@one.test", "s" + i + "@two.test");
            contents.put(m.id(), content);
            if (i % 3 == 0) {
                spool().update(m.id(), List.of(
                        new RecipientStatus(m.envelope().recipients().get(0), RecipientState.EXPIRED, 3, 3,
                                Instant.EPOCH, "dns", "no MX"),
                        m.recipients().get(1)), i % 2 == 0);
            }
        }
        List<SpooledMessage> before = sorted(spool().messages());

        RecoveryReport report = restart();

        assertThat(report.recovered()).isEqualTo(20);
        assertThat(report.quarantined()).isEmpty();
        assertThat(sorted(spool().messages())).isEqualTo(before);
        for (Map.Entry<QueueId, byte[]> e : contents.entrySet()) {
            assertThat(contentOf(spool(), e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    default void abortedMessageLeavesNothing() throws Exception {
        QueueId id;
        try (IncomingMessage incoming = spool().begin()) {
            id = incoming.id();
            incoming.content().write(randomBytes(2 * 1024 * 1024, 7));
        }

        assertThat(spool().find(id)).isEmpty();
        assertThat(spool().messages()).isEmpty();
        RecoveryReport report = restart();
        assertThat(report.recovered()).isZero();
        assertThat(spool().messages()).isEmpty();
    }

    @Test
    default void changesToUnknownMessagesAreRefused() {
        QueueId unknown = QueueId.parse("0000000000000000");
        Address a = Address.parse("a@one.test");

        assertThatThrownBy(() -> spool().update(unknown, List.of(RecipientStatus.pending(a)), false))
                .isInstanceOf(SpoolException.class);
        assertThatThrownBy(() -> spool().remove(unknown)).isInstanceOf(SpoolException.class);
    }

    @Test
    default void twoHundredConcurrentCommitsAllSucceedAndAreAllRecovered() throws Exception {
        int sessions = 200;
        CountDownLatch allWritten = new CountDownLatch(sessions);
        List<Future<SpooledMessage>> results = new ArrayList<>();
        Map<Integer, byte[]> contents = new HashMap<>();
        for (int i = 0; i < sessions; i++) {
            contents.put(i, randomBytes(5 * 1024, 1000 + i));
        }
        try (ExecutorService sessionsPool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < sessions; i++) {
                byte[] content = contents.get(i);
                int n = i;
                results.add(sessionsPool.submit(() -> {
                    try (IncomingMessage incoming = spool().begin()) {
                        incoming.content().write(content);
                        allWritten.countDown();
                        allWritten.await();
                        return incoming.commit(envelope("user" + n + "@many.test"));
                    }
                }));
            }
        }
        Map<QueueId, byte[]> byId = new HashMap<>();
        for (int i = 0; i < sessions; i++) {
            byId.put(results.get(i).get().id(), contents.get(i));
        }

        assertThat(byId).hasSize(sessions);
        RecoveryReport report = restart();
        assertThat(report.recovered()).isEqualTo(sessions);
        for (Map.Entry<QueueId, byte[]> e : byId.entrySet()) {
            assertThat(contentOf(spool(), e.getKey())).isEqualTo(e.getValue());
        }
    }

    private static List<SpooledMessage> sorted(java.util.Collection<SpooledMessage> messages) {
        return messages.stream().sorted(java.util.Comparator.comparing(SpooledMessage::id)).toList();
    }
}
