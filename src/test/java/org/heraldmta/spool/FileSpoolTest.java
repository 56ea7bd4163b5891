package org.heraldmta.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.heraldmta.spool.SpoolContract.contentOf;
import static org.heraldmta.spool.SpoolContract.envelope;
import static org.heraldmta.spool.SpoolContract.randomBytes;
import static org.heraldmta.spool.SpoolContract.store;
import static org.heraldmta.spool.SpoolContract.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpoolTest implements SpoolContract {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-03T19:50:42Z"));

    @TempDir
    Path directory;

    private final FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
    private FileSpoolOptions options = FileSpoolOptions.defaults().withChannels(faults.channels());
    private FileSpool spool;

    @BeforeEach
    void openSpool() throws IOException {
        spool = newSpool(directory);
        spool.open();
    }

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Override
    public Spool spool() {
        return spool;
    }

    @Override
    public RecoveryReport restart() throws IOException {
        spool.close();
        spool = newSpool(directory);
        return spool.open();
    }

    private RecoveryReport restartWith(FileSpoolOptions newOptions) throws IOException {
        options = newOptions;
        return restart();
    }

    private FileSpool newSpool(Path dir) {
        return new FileSpool(dir, CLOCK, new QueueId.Generator(CLOCK), options);
    }

    @Test
    void anInterruptedAppendAtTheEndIsCutAwayAndEverythingBeforeItRecovered() throws Exception {
        // without compaction the segment stays, so a later recovery would see anything left of the torn record
        restartWith(options.withCompactBelowLiveFraction(0));
        SpooledMessage first = store(spool, text("first"), "a@one.test");
        SpooledMessage second = store(spool, text("second"), "a@one.test");
        SpooledMessage torn = store(spool, randomBytes(10_000, 3), "a@one.test");
        spool.close();
        Path newest = segments().getLast();
        truncate(newest, Files.size(newest) - 5_000);

        RecoveryReport report = restart();

        assertThat(report.recovered()).isEqualTo(2);
        assertThat(report.quarantined()).isEmpty();
        assertThat(spool.find(torn.id())).isEmpty();
        assertThat(contentOf(spool, first.id())).isEqualTo(text("first"));
        assertThat(contentOf(spool, second.id())).isEqualTo(text("second"));
        SpooledMessage after = store(spool, text("after"), "a@one.test");
        assertThat(restart().quarantined()).isEmpty();
        assertThat(spool.messages()).extracting(SpooledMessage::id)
                .containsExactlyInAnyOrder(first.id(), second.id(), after.id());
    }

    @Test
    void aFlippedByteInAMessageQuarantinesThatMessageAndRecoversTheOthers() throws Exception {
        SpooledMessage before = store(spool, text("before " + "x".repeat(5000)), "a@one.test");
        SpooledMessage damaged = store(spool, text("DAMAGE-ME " + "y".repeat(5000)), "a@one.test");
        SpooledMessage after = store(spool, text("after " + "z".repeat(5000)), "a@one.test");
        spool.close();
        Path segment = segments().getLast();
        flipByteAt(segment, indexOf(segment, "DAMAGE-ME") + 3);

        RecoveryReport report = restart();

        assertThat(report.recovered()).isEqualTo(2);
        assertThat(report.quarantined()).singleElement().satisfies(q -> {
            assertThat(q.reason()).contains(damaged.id().value()).contains("checksum");
            assertThat(q.movedTo()).startsWith(directory.resolve("quarantine")).isRegularFile();
            assertThat(Files.size(q.movedTo())).isGreaterThan(5000);
        });
        assertThat(spool.find(damaged.id())).isEmpty();
        assertThat(contentOf(spool, before.id())).isEqualTo(text("before " + "x".repeat(5000)));
        assertThat(contentOf(spool, after.id())).isEqualTo(text("after " + "z".repeat(5000)));
        RecoveryReport again = restart();
        assertThat(again.quarantined()).as("the damaged segment was rewritten, not reported twice").isEmpty();
        assertThat(again.recovered()).isEqualTo(2);
    }

    @Test
    void aFlippedByteInARecordHeaderIsQuarantinedAndScanningResumesAtTheNextRecord() throws Exception {
        SpooledMessage before = store(spool, text("one"), "a@one.test");
        SpooledMessage damaged = store(spool, text("two"), "a@one.test");
        SpooledMessage after = store(spool, text("three"), "a@one.test");
        spool.close();
        Path segment = segments().getLast();
        byte[] magic = java.nio.ByteBuffer.allocate(4).putInt(RecordHeader.MAGIC).array();
        long secondRecord = indexOf(segment, magic, 1);
        flipByteAt(segment, secondRecord + 6);

        RecoveryReport report = restart();

        assertThat(report.quarantined()).singleElement()
                .satisfies(q -> assertThat(q.reason()).contains("bytes " + secondRecord + ".."));
        assertThat(spool.messages()).extracting(SpooledMessage::id)
                .containsExactlyInAnyOrder(before.id(), after.id())
                .doesNotContain(damaged.id());
    }

    @Test
    void aSegmentThatCannotBeReadAtAllIsMovedAsideAndTheStartGoesOn() throws Exception {
        SpooledMessage stored = store(spool, text("fine"), "a@one.test");
        spool.close();
        // a directory where a segment should be: every read of it fails, as on a failing disk
        Path unreadable = Files.createDirectory(directory.resolve("journal/segment-00000099.log"));

        RecoveryReport report = restart();

        assertThat(report.quarantined()).singleElement().satisfies(q -> {
            assertThat(q.reason()).contains("segment-00000099.log could not be read");
            assertThat(q.movedTo()).startsWith(directory.resolve("quarantine")).exists();
        });
        assertThat(unreadable).doesNotExist();
        assertThat(spool.messages()).containsExactly(stored);
        SpooledMessage next = store(spool, text("next"), "a@one.test");
        restart();
        assertThat(spool.messages()).containsExactlyInAnyOrder(stored, next);
    }

    @Test
    void concurrentCommitsShareFarFewerForcesThanMessages() throws Exception {
        faults.forceMillis.set(5);
        int sessions = 200;
        long forcesBefore = spool.forceCount();
        CountDownLatch ready = new CountDownLatch(sessions);
        List<Future<SpooledMessage>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < sessions; i++) {
                byte[] content = randomBytes(5 * 1024, i);
                results.add(pool.submit(() -> {
                    try (IncomingMessage incoming = spool.begin()) {
                        incoming.content().write(content);
                        ready.countDown();
                        ready.await();
                        return incoming.commit(envelope("someone@many.test"));
                    }
                }));
            }
        }
        for (Future<SpooledMessage> result : results) {
            assertThat(result.get().id()).isNotNull();
        }

        long forces = spool.forceCount() - forcesBefore;
        assertThat(forces).as("forces for %d commits", sessions).isPositive().isLessThanOrEqualTo(sessions / 10);
        assertThat(spool.messages()).hasSize(sessions);
    }

    @Test
    void aFullDiskRefusesTheMessageWithoutLeavingAnyOfItAndTheNextCommitSucceeds() throws Exception {
        SpooledMessage earlier = store(spool, text("earlier"), "a@one.test");
        faults.diskFull.set(true);
        QueueId refusedId;
        try (IncomingMessage incoming = spool.begin()) {
            refusedId = incoming.id();
            incoming.content().write(randomBytes(20_000, 9));
            assertThatThrownBy(() -> incoming.commit(envelope("a@one.test")))
                    .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.diskFull()).isTrue());
        }
        assertThatThrownBy(() -> spool.update(earlier.id(), earlier.recipients(), true))
                .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.diskFull()).isTrue());
        assertThat(spool.find(refusedId)).isEmpty();

        faults.diskFull.set(false);
        SpooledMessage later = store(spool, text("later"), "a@one.test");

        RecoveryReport report = restart();
        assertThat(report.quarantined()).as("no partial record was left behind").isEmpty();
        assertThat(spool.messages()).containsExactlyInAnyOrder(earlier, later);
        assertThat(contentOf(spool, later.id())).isEqualTo(text("later"));
    }

    @Test
    void aFailedForceFailsTheCommitAndRecoveryDoesNotReturnIt() throws Exception {
        SpooledMessage earlier = store(spool, text("earlier"), "a@one.test");
        faults.forceFails.set(true);
        QueueId refusedId;
        try (IncomingMessage incoming = spool.begin()) {
            refusedId = incoming.id();
            incoming.content().write(text("never acknowledged"));
            assertThatThrownBy(() -> incoming.commit(envelope("a@one.test")))
                    .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.diskFull()).isFalse());
        }
        faults.forceFails.set(false);
        SpooledMessage later = store(spool, text("later"), "a@one.test");

        restart();

        assertThat(spool.messages()).containsExactlyInAnyOrder(earlier, later);
        assertThat(spool.find(refusedId)).isEmpty();
    }

    @Test
    void segmentsAreDeletedOnceAllTheirMessagesAreRemoved() throws Exception {
        restartWith(options.withSegmentBytes(16 * 1024).withCompactBelowLiveFraction(0));
        List<SpooledMessage> stored = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stored.add(store(spool, randomBytes(4 * 1024, i), "a@one.test"));
        }
        assertThat(segments()).hasSizeGreaterThan(3);

        for (SpooledMessage m : stored) {
            spool.remove(m.id());
        }

        // the committer deletes segments right after completing the batch that emptied them
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(segments()).hasSizeLessThanOrEqualTo(1));
        assertThat(restart().recovered()).isZero();
    }

    @Test
    void aRemovalIsKeptWhileTheSegmentHoldingTheRemovedMessageStillExists() throws Exception {
        SpooledMessage removed = store(spool, text("removed"), "a@one.test");
        SpooledMessage kept = store(spool, text("kept"), "a@one.test");
        // from now on every batch gets a segment of its own, so each record lands in a known segment
        restartWith(options.withSegmentBytes(RecordHeader.BYTES).withCompactBelowLiveFraction(0));
        spool.remove(removed.id());
        spool.update(kept.id(), List.of(deferred("first")), true);
        spool.update(kept.id(), List.of(deferred("second")), false);
        SpooledMessage newest = spool.update(kept.id(), List.of(deferred("third")), true);

        assertThat(restart().recovered()).isEqualTo(1);
        assertThat(spool.find(removed.id())).as("the removed message stays removed").isEmpty();
        assertThat(spool.find(kept.id())).as("the newest state counts").contains(newest);
        spool.remove(kept.id());
        restart();
        assertThat(spool.messages()).isEmpty();
        assertThat(segments()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void compactionKeepsSurvivorsIntactAndFreesTheOldSegments() throws Exception {
        restartWith(options.withSegmentBytes(32 * 1024).withCompactBelowLiveFraction(0));
        List<SpooledMessage> stored = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stored.add(store(spool, randomBytes(4 * 1024, i), "a@one.test", "b@two.test"));
        }
        List<SpooledMessage> survivors = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            SpooledMessage m = stored.get(i);
            if (i % 10 == 3) {
                survivors.add(spool.update(m.id(), List.of(new RecipientStatus(Address.parse("a@one.test"),
                        RecipientState.DELIVERED, 1, 0, Instant.EPOCH, "data", "250 ok"), m.recipients().get(1)),
                        true));
            } else {
                spool.remove(m.id());
            }
        }
        List<Path> beforeCompaction = segments();
        long bytesBefore = journalBytes();

        restartWith(options.withCompactBelowLiveFraction(0.25));
        spool.compact();

        assertThat(segments()).doesNotContainAnyElementsOf(beforeCompaction.subList(0,
                beforeCompaction.size() - 1));
        assertThat(journalBytes()).isLessThan(bytesBefore / 3);
        assertThat(spool.messages()).containsExactlyInAnyOrderElementsOf(survivors);
        for (SpooledMessage survivor : survivors) {
            int seed = stored.indexOf(stored.stream().filter(s -> s.id().equals(survivor.id())).findFirst()
                    .orElseThrow());
            assertThat(contentOf(spool, survivor.id())).isEqualTo(randomBytes(4 * 1024, seed));
        }
        RecoveryReport report = restart();
        assertThat(report.recovered()).isEqualTo(survivors.size());
        assertThat(spool.messages()).containsExactlyInAnyOrderElementsOf(survivors);
    }

    @Test
    void aLargeMessageIsReceivedIntoATempFileThatDisappearsAfterCommitOrAbort() throws Exception {
        restartWith(options.withMemoryThreshold(64 * 1024));
        byte[] large = randomBytes(1024 * 1024, 5);
        try (IncomingMessage incoming = spool.begin()) {
            incoming.content().write(large);
            assertThat(incomingFiles()).hasSize(1);
            SpooledMessage stored = incoming.commit(envelope("a@one.test"));
            assertThat(incomingFiles()).isEmpty();
            assertThat(contentOf(spool, stored.id())).isEqualTo(large);
        }
        try (IncomingMessage aborted = spool.begin()) {
            aborted.content().write(large);
            assertThat(incomingFiles()).hasSize(1);
        }
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void aWriteFailureWhileReceivingIsReportedAtCommitNotInTheMiddleOfData() throws Exception {
        restartWith(options.withMemoryThreshold(1024));
        Files.delete(directory.resolve("incoming"));
        try (IncomingMessage incoming = spool.begin()) {
            incoming.content().write(randomBytes(10_000, 1));
            incoming.content().write(randomBytes(10_000, 2));

            assertThatThrownBy(() -> incoming.commit(envelope("a@one.test"))).isInstanceOf(SpoolException.class);
            assertThat(spool.find(incoming.id())).isEmpty();
        }
        Files.createDirectory(directory.resolve("incoming"));
        SpooledMessage next = store(spool, randomBytes(10_000, 3), "a@one.test");
        assertThat(contentOf(spool, next.id())).isEqualTo(randomBytes(10_000, 3));
    }

    @Test
    void aSnapshotTakenRightAfterCommitsReturnedRecoversThemAllAsACrashWould() throws Exception {
        List<SpooledMessage> stored = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stored.add(store(spool, text("crash " + i), "a@one.test"));
        }
        Path copy = Files.createDirectory(directory.resolveSibling(directory.getFileName() + "-crash"));
        copyTree(directory, copy);

        try (FileSpool recovered = newSpool(copy)) {
            assertThat(recovered.open().recovered()).isEqualTo(10);
            assertThat(recovered.messages()).containsExactlyInAnyOrderElementsOf(stored);
        }
    }

    @Test
    void aSecondServerCannotOpenASpoolInUse() {
        FileSpool second = newSpool(directory);

        assertThatThrownBy(second::open).isInstanceOf(IOException.class).hasMessageContaining("in use");
    }

    @Test
    void commitsAfterCloseAreRefused() throws Exception {
        IncomingMessage incoming = spool.begin();
        incoming.content().write(text("late"));
        spool.close();

        assertThatThrownBy(() -> incoming.commit(envelope("a@one.test"))).isInstanceOf(SpoolException.class);
        assertThatThrownBy(spool::begin).isInstanceOf(SpoolException.class);
    }

    private static RecipientStatus deferred(String reply) {
        return new RecipientStatus(Address.parse("a@one.test"), RecipientState.PENDING, 1, 0, Instant.EPOCH, "rcpt",
                reply);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("journal"))) {
            return files.sorted().toList();
        }
    }

    private long journalBytes() throws IOException {
        long total = 0;
        for (Path p : segments()) {
            total += Files.size(p);
        }
        return total;
    }

    private List<Path> incomingFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("incoming"))) {
            return files.toList();
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flipByteAt(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x20;
        Files.write(file, bytes);
    }

    private static long indexOf(Path file, String marker) throws IOException {
        return indexOf(file, marker.getBytes(StandardCharsets.US_ASCII), 0);
    }

    /** The offset of the n-th (from 0) occurrence of {@code needle} in the file. */
    private static long indexOf(Path file, byte[] needle, int occurrence) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int seen = 0;
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (seen++ == occurrence) {
                return i;
            }
        }
        throw new AssertionError("marker not found in " + file);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
