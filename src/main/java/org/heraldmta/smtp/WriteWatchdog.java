package org.heraldmta.smtp;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds blocking writes: a socket write has no time-out of its own, so a server that stops reading would hold the
 * client forever once the TCP buffers fill. A write is armed with a deadline; if it is still blocked then, the
 * socket is closed, which ends the write with an exception. Thread safe.
 */
final class WriteWatchdog {

    private final ScheduledExecutorService scheduler;

    WriteWatchdog(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    Guard arm(Closeable target, Duration timeout) {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> task = scheduler.schedule(() -> {
            fired.set(true);
            try {
                target.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return new Guard(task, fired);
    }

    /** One armed write; close it when the write returns. */
    static final class Guard implements AutoCloseable {
        private final ScheduledFuture<?> task;
        private final AtomicBoolean fired;

        private Guard(ScheduledFuture<?> task, AtomicBoolean fired) {
            this.task = task;
            this.fired = fired;
        }

        boolean fired() {
            return fired.get();
        }

        @Override
        public void close() {
            task.cancel(false);
        }
    }
}
