package org.heraldmta.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.heraldmta.mail.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the journal small: deletes segments in which nothing counts any more, and compacts lean or damaged ones
 * by copying what still counts into the active segment, forcing it, and only then deleting the old file.
 * Runs on the committer thread, between batches, so it never races a commit.
 */
final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Journal journal;
    private final SpoolIndex index;
    private final FileSpoolOptions options;

    Compactor(Journal journal, SpoolIndex index, FileSpoolOptions options) {
        this.journal = journal;
        this.index = index;
        this.options = options;
    }

    /** Starts a new segment once the active one has reached its size. Call only right after a force. */
    void rotateIfFull() {
        if (journal.activeNumber() >= 0 && journal.size() >= options.segmentBytes()) {
            index.sized(journal.activeNumber(), journal.size());
            journal.rotate();
        }
    }

    /**
     * Deletes every segment in which nothing counts, oldest first, making each round of deletions durable before
     * the next (a tombstone may only go once the message it buries is gone for good).
     */
    void deleteUnneeded() {
        List<Long> deletable = index.deletable(journal.activeNumber());
        while (!deletable.isEmpty()) {
            for (long number : deletable) {
                try {
                    journal.delete(number);
                } catch (IOException e) {
                    LOG.warn("cannot delete journal segment {}, will retry: {}", number, e.toString());
                    return;
                }
            }
            try {
                journal.syncDirectory();
            } catch (IOException e) {
                LOG.warn("cannot sync the journal directory, will retry: {}", e.toString());
                return;
            }
            deletable.forEach(index::deleted);
            deletable = index.deletable(journal.activeNumber());
        }
    }

    boolean hasWork() {
        return index.compactionCandidate(journal.activeNumber(), options.compactBelowLiveFraction()).isPresent();
    }

    /**
     * Copies the live records of the best candidate segment forward, stopping early when {@code yieldNow} says
     * commits are waiting (but after at least one copy, so that progress is made).
     *
     * @return false when there was nothing to do
     */
    boolean compactSome(BooleanSupplier yieldNow) throws IOException {
        Optional<SpoolIndex.Segment> candidate = index.compactionCandidate(journal.activeNumber(),
                options.compactBelowLiveFraction());
        if (candidate.isEmpty()) {
            return false;
        }
        SpoolIndex.Segment source = candidate.get();
        long start = journal.size();
        List<Runnable> applyWhenDurable = new ArrayList<>();
        try (FileChannel from = FileChannel.open(journal.path(source.number), StandardOpenOption.READ)) {
            for (QueueId id : List.copyOf(source.messages)) {
                if (!applyWhenDurable.isEmpty() && yieldNow.getAsBoolean()) {
                    break;
                }
                applyWhenDurable.add(copyMessage(index.get(id), from));
            }
            for (QueueId id : List.copyOf(source.newestStates)) {
                if (!applyWhenDurable.isEmpty() && yieldNow.getAsBoolean()) {
                    break;
                }
                applyWhenDurable.add(copyState(index.get(id)));
            }
            for (Map.Entry<QueueId, Long> tombstone : index.liveTombstones(source).entrySet()) {
                applyWhenDurable.add(copyTombstone(tombstone.getKey(), source.number));
            }
            journal.force();
        } catch (IOException | RuntimeException e) {
            journal.rollbackTo(start);
            throw e;
        }
        applyWhenDurable.forEach(Runnable::run);
        index.sized(journal.activeNumber(), journal.size());
        rotateIfFull();
        deleteUnneeded();
        return true;
    }

    /** Compacts every candidate completely (damaged segments after recovery, or on request). */
    void compactAll() throws IOException {
        while (compactSome(() -> false)) {
            // each round empties one segment, which is then deleted
        }
    }

    private Runnable copyMessage(SpoolIndex.Entry entry, FileChannel from) throws IOException {
        SpooledMessage message = entry.message();
        byte[] meta = MetaCodec.encode(new JournalRecord.Message(message));
        ContentSource content = ContentSource.range(from, entry.contentOffset(), message.size(), entry.contentCrc());
        long offset = append(RecordType.MESSAGE, meta, content);
        long segment = journal.activeNumber();
        return () -> index.message(message, segment, offset, meta.length, entry.contentCrc());
    }

    private Runnable copyState(SpoolIndex.Entry entry) throws IOException {
        JournalRecord.Update update = new JournalRecord.Update(entry.message().id(), entry.message().recipients(),
                entry.message().held());
        byte[] meta = MetaCodec.encode(update);
        append(RecordType.UPDATE, meta, ContentSource.NONE);
        long segment = journal.activeNumber();
        return () -> index.update(update, segment, RecordHeader.BYTES + (long) meta.length);
    }

    private Runnable copyTombstone(QueueId id, long from) throws IOException {
        byte[] meta = MetaCodec.encode(new JournalRecord.Remove(id));
        append(RecordType.REMOVE, meta, ContentSource.NONE);
        long segment = journal.activeNumber();
        return () -> index.tombstoneMoved(id, from, segment, RecordHeader.BYTES + (long) meta.length);
    }

    private long append(RecordType type, byte[] meta, ContentSource content) throws IOException {
        ByteBuffer head = RecordHeader.encode(type, meta, content.length(), content.crc());
        return journal.append(head, content);
    }
}
