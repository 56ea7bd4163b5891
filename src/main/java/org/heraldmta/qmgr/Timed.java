package org.heraldmta.qmgr;

import java.util.Comparator;

/** Something in the scheduler's timer set: a waiting work item or a pausing destination. */
interface Timed {

    /** Earliest first; the sequence number breaks ties and keeps every entry distinct. */
    Comparator<Timed> ORDER = Comparator.comparingLong(Timed::dueMillis).thenComparingLong(Timed::timerSeq);

    long dueMillis();

    long timerSeq();
}
