package org.heraldmta.app;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.heraldmta.log.AttemptTranscript;
import org.heraldmta.log.TranscriptStore;
import org.heraldmta.mail.QueueId;
import org.heraldmta.qmgr.AttemptLog;
import org.heraldmta.smtp.DeliveryReport;
import org.heraldmta.smtp.DeliveryRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each attempt's transcript in the log's transcript store under the queue manager's attempt number. A
 * transcript that cannot be written is logged and dropped: the attempt's result is already in the spool and its
 * events in events.jsonl, and delivery must not stop on a slow or full log disk.
 */
final class TranscriptAttemptLog implements AttemptLog {

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptAttemptLog.class);

    private final TranscriptStore store;

    TranscriptAttemptLog(TranscriptStore store) {
        this.store = store;
    }

    @Override
    public void record(QueueId id, int attempt, DeliveryRequest request, DeliveryReport report) {
        List<AttemptTranscript.Line> lines = report.transcript().stream()
                .map(line -> new AttemptTranscript.Line(line.time(), line.kind().name().toLowerCase(Locale.ROOT),
                        line.text()))
                .toList();
        try {
            store.append(id, new AttemptTranscript(attempt, request.route().mode().label(), report.started(),
                    report.finished(), lines));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: transcript of attempt {} not kept: {}", id, attempt, e.toString());
        }
    }
}
