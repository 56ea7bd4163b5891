package org.heraldmta.spool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.heraldmta.mail.QueueId;

/**
 * Where every live message lies in the journal, and what each segment still holds that matters.
 *
 * <p>Readers may call {@link #get} and {@link #messages} from any thread; everything else is called by one thread
 * at a time (recovery, then the committer), and always after the record it describes is durable.
 *
 * <p>A segment may be deleted only when nothing in it still counts: no live message's MESSAGE record, no live
 * message's newest UPDATE, and no REMOVE record whose message still has its MESSAGE record in another segment
 * (deleting such a tombstone first would bring the removed message back at the next recovery).
 */
final class SpoolIndex {

    /**
     * A live message: its current state, where its content lies, and which segment holds its newest state.
     */
    record Entry(SpooledMessage message, long messageSegment, long contentOffset, long messageRecordBytes,
                 int contentCrc, long stateSegment, long stateRecordBytes) {
    }

    /** What one segment still holds that counts. */
    static final class Segment {
        final long number;
        long size;
        long liveBytes;
        boolean damaged;
        final Set<QueueId> messages = new HashSet<>();
        final Set<QueueId> newestStates = new HashSet<>();
        /** Removed message -> the segment that still holds its MESSAGE record. */
        final Map<QueueId, Long> tombstones = new HashMap<>();

        Segment(long number) {
            this.number = number;
        }
    }

    private final ConcurrentSkipListMap<QueueId, Entry> entries = new ConcurrentSkipListMap<>();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();

    Entry get(QueueId id) {
        return entries.get(id);
    }

    List<SpooledMessage> messages() {
        return entries.values().stream().map(Entry::message).toList();
    }

    int size() {
        return entries.size();
    }

    Segment segment(long number) {
        return segments.computeIfAbsent(number, Segment::new);
    }

    List<Segment> segments() {
        return List.copyOf(segments.values());
    }

    void sized(long number, long size) {
        segment(number).size = size;
    }

    /** A new message, or a newer copy of a known one (compaction), with its state as written. */
    void message(SpooledMessage message, long segment, long recordOffset, int metaLength, int contentCrc) {
        long recordBytes = RecordHeader.BYTES + (long) metaLength + message.size();
        forget(message.id());
        Segment s = segment(segment);
        s.messages.add(message.id());
        s.liveBytes += recordBytes;
        entries.put(message.id(), new Entry(message, segment, recordOffset + RecordHeader.BYTES + metaLength,
                recordBytes, contentCrc, segment, 0));
    }

    /** New state of a known message; returns false for an unknown one (its MESSAGE record was already deleted). */
    boolean update(JournalRecord.Update update, long segment, long recordBytes) {
        Entry old = entries.get(update.id());
        if (old == null) {
            return false;
        }
        dropNewestState(old);
        SpooledMessage message = new SpooledMessage(old.message().id(), old.message().envelope(),
                old.message().size(), update.recipients(), update.held());
        if (segment != old.messageSegment()) {
            Segment s = segment(segment);
            s.newestStates.add(update.id());
            s.liveBytes += recordBytes;
        }
        entries.put(update.id(), new Entry(message, old.messageSegment(), old.contentOffset(),
                old.messageRecordBytes(), old.contentCrc(), segment, recordBytes));
        return true;
    }

    /** The message is gone; returns false for an unknown one. */
    boolean remove(QueueId id, long segment, long recordBytes) {
        Entry old = entries.get(id);
        if (old == null) {
            return false;
        }
        forget(id);
        if (segment != old.messageSegment()) {
            Segment s = segment(segment);
            s.tombstones.put(id, old.messageSegment());
            s.liveBytes += recordBytes;
        }
        return true;
    }

    /** A REMOVE record was copied from one segment to another by compaction. */
    void tombstoneMoved(QueueId id, long from, long to, long recordBytes) {
        Long target = segment(from).tombstones.remove(id);
        if (target != null) {
            segment(from).liveBytes -= recordBytes;
            segment(to).tombstones.put(id, target);
            segment(to).liveBytes += recordBytes;
        }
    }

    /** Segments other than the active one in which nothing counts any more. */
    List<Long> deletable(long activeSegment) {
        List<Long> result = new ArrayList<>();
        for (Segment s : segments.values()) {
            if (s.number != activeSegment && s.messages.isEmpty() && s.newestStates.isEmpty()
                    && !hasLiveTombstone(s)) {
                result.add(s.number);
            }
        }
        return result;
    }

    /**
     * Tombstones in {@code s} that still matter: some segment at or before the one that held the message's newest
     * MESSAGE record still exists. Older segments count too, because an older copy of the message may survive
     * there (compaction copies forward, and deleting the old segment may have failed or not reached the disk).
     */
    Map<QueueId, Long> liveTombstones(Segment s) {
        Map<QueueId, Long> live = new HashMap<>();
        s.tombstones.forEach((id, target) -> {
            if (tombstoneMatters(s, target)) {
                live.put(id, target);
            }
        });
        return live;
    }

    private boolean hasLiveTombstone(Segment s) {
        for (Long target : s.tombstones.values()) {
            if (tombstoneMatters(s, target)) {
                return true;
            }
        }
        return false;
    }

    private boolean tombstoneMatters(Segment s, long target) {
        Long older = segments.floorKey(target);
        return older != null && older != s.number;
    }

    void deleted(long number) {
        segments.remove(number);
    }

    /**
     * The oldest segment worth compacting: damaged ones first, then any whose counting bytes are below
     * {@code liveFraction} of its size.
     */
    Optional<Segment> compactionCandidate(long activeSegment, double liveFraction) {
        Segment lean = null;
        for (Segment s : segments.values()) {
            if (s.number == activeSegment || isEmpty(s)) {
                continue;
            }
            if (s.damaged) {
                return Optional.of(s);
            }
            if (lean == null && s.liveBytes < liveFraction * s.size) {
                lean = s;
            }
        }
        return Optional.ofNullable(lean);
    }

    private boolean isEmpty(Segment s) {
        return s.messages.isEmpty() && s.newestStates.isEmpty() && !hasLiveTombstone(s);
    }

    private void forget(QueueId id) {
        Entry old = entries.remove(id);
        if (old == null) {
            return;
        }
        Segment s = segments.get(old.messageSegment());
        if (s != null && s.messages.remove(id)) {
            s.liveBytes -= old.messageRecordBytes();
        }
        dropNewestState(old);
    }

    private void dropNewestState(Entry old) {
        if (old.stateSegment() == old.messageSegment()) {
            return;
        }
        Segment s = segments.get(old.stateSegment());
        if (s != null && s.newestStates.remove(old.message().id())) {
            s.liveBytes -= old.stateRecordBytes();
        }
    }
}
