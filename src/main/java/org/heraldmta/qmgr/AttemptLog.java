package org.heraldmta.qmgr;

import org.heraldmta.mail.QueueId;
import org.heraldmta.smtp.DeliveryReport;
import org.heraldmta.smtp.DeliveryRequest;

/**
 * Where the queue manager hands every attempt's request and report (with its transcript), for the delivery log
 * ({@code herald log QUEUE_ID}). The application wires it to the log package. Called once per attempt, after the
 * attempt's result is in the spool, from the delivery's own thread; must be thread safe and should be quick.
 */
@FunctionalInterface
public interface AttemptLog {

    /**
     * @param attempt the message's attempt number (1-based), the same as {@code request.attempt()} and the
     *                {@code attempt} field of the attempt's events
     */
    void record(QueueId id, int attempt, DeliveryRequest request, DeliveryReport report);

    /** An attempt log that keeps nothing. */
    static AttemptLog discard() {
        return (id, attempt, request, report) -> { };
    }
}
