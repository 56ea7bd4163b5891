package org.heraldmta.qmgr;

import java.util.concurrent.locks.ReentrantLock;
import org.heraldmta.mail.QueueId;

/**
 * Serialises the read-modify-write of one message's spool record (deliveries to its different domains and
 * operator actions finish concurrently, and {@code Spool.update} takes the whole recipient list). Striped rather
 * than per message, so a million queued messages cost no locks. ReentrantLock, not synchronized: holders do fsyncs
 * on virtual threads.
 */
final class StripedLocks {

    private final ReentrantLock[] locks;

    StripedLocks(int stripes) {
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(QueueId id) {
        return locks[Math.floorMod(id.hashCode(), locks.length)];
    }
}
