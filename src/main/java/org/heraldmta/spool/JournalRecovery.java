package org.heraldmta.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the journal at start: replays every segment, oldest first, so that the newest record
 * about a message wins.
 *
 * <p>An incomplete record at the very end of the newest segment is an append that was interrupted and so never
 * acknowledged: it is cut away. Anything else that is not a valid record is copied to the quarantine directory,
 * reported, and its segment marked for compaction (which rewrites what is still valid and deletes the file).
 */
final class JournalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What recovery moved aside, and the number the next new segment gets. */
    record Outcome(List<RecoveryReport.Quarantined> quarantined, long nextSegment) {
    }

    private final Path journalDirectory;
    private final Path quarantineDirectory;
    private final SpoolIndex index;
    private final InstantSource clock;
    private final List<RecoveryReport.Quarantined> quarantined = new ArrayList<>();

    JournalRecovery(Path journalDirectory, Path quarantineDirectory, SpoolIndex index, InstantSource clock) {
        this.journalDirectory = journalDirectory;
        this.quarantineDirectory = quarantineDirectory;
        this.index = index;
        this.clock = clock;
    }

    Outcome recover() throws IOException {
        List<Long> numbers = Journal.list(journalDirectory);
        for (int i = 0; i < numbers.size(); i++) {
            recoverSegment(numbers.get(i), i == numbers.size() - 1);
        }
        if (!quarantined.isEmpty()) {
            try (FileChannel directory = FileChannel.open(quarantineDirectory, StandardOpenOption.READ)) {
                directory.force(true);
            }
        }
        long next = numbers.isEmpty() ? 1 : numbers.get(numbers.size() - 1) + 1;
        return new Outcome(List.copyOf(quarantined), next);
    }

    private void recoverSegment(long number, boolean newest) throws IOException {
        Path path = Journal.path(journalDirectory, number);
        List<SegmentScanner.Found> records = new ArrayList<>();
        SegmentScanner.Result result;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            result = new SegmentScanner(channel).scan(records::add);
        } catch (IOException e) {
            quarantineWholeFile(path, e);
            return;
        }
        records.forEach(found -> replay(number, found));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SpoolIndex.Segment segment = index.segment(number);
            for (SegmentScanner.Damage damage : result.damage()) {
                quarantine(channel, path, damage.from(), damage.to(), damage.reason());
                segment.damaged = true;
            }
            if (result.tailFrom() >= 0 && newest) {
                LOG.info("cutting an interrupted append of {} bytes from the end of {} ({})",
                        channel.size() - result.tailFrom(), path.getFileName(), result.tailReason());
                channel.truncate(result.tailFrom());
                channel.force(false);
            } else if (result.tailFrom() >= 0) {
                quarantine(channel, path, result.tailFrom(), channel.size(), result.tailReason());
                segment.damaged = true;
            }
            index.sized(number, channel.size());
        }
    }

    /**
     * A segment that cannot even be read is moved aside whole (nothing of it was replayed), so that the server
     * still starts with everything else.
     */
    private void quarantineWholeFile(Path segment, IOException failure) throws IOException {
        Path target = quarantineDirectory.resolve(segment.getFileName() + "-" + STAMP.format(clock.instant())
                + ".unreadable");
        Files.move(segment, target);
        String description = segment.getFileName() + " could not be read: " + failure;
        LOG.error("quarantined a whole spool segment, {} -> {}", description, target);
        quarantined.add(new RecoveryReport.Quarantined(target, description));
    }

    private void replay(long segment, SegmentScanner.Found found) {
        long recordBytes = found.end() - found.offset();
        switch (found.record()) {
            case JournalRecord.Message m -> index.message(m.message(), segment, found.offset(), found.metaLength(),
                    found.contentCrc());
            case JournalRecord.Update u -> index.update(u, segment, recordBytes);
            case JournalRecord.Remove r -> index.remove(r.id(), segment, recordBytes);
        }
    }

    private void quarantine(FileChannel channel, Path segment, long from, long to, String reason)
            throws IOException {
        String base = segment.getFileName().toString().replace(".log", "") + "-at-" + from + "-"
                + STAMP.format(clock.instant());
        Path target = quarantineDirectory.resolve(base + ".damaged");
        for (int n = 2; Files.exists(target); n++) {
            target = quarantineDirectory.resolve(base + "-" + n + ".damaged");
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ContentSource.range(channel, from, to - from, 0).copyTo(out);
            out.force(true);
        }
        String description = segment.getFileName() + " bytes " + from + ".." + to + ": " + reason;
        LOG.warn("quarantined damaged spool entry, {} -> {}", description, target);
        quarantined.add(new RecoveryReport.Quarantined(target, description));
    }
}
