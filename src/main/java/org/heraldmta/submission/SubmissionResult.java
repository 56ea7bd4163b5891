package org.heraldmta.submission;

import java.util.List;
import org.heraldmta.mail.QueueId;

/** What became of one request to the sending API. */
public sealed interface SubmissionResult {

    /** Every message of the request is committed to the spool (fsynced), in request order. */
    record Accepted(List<QueueId> ids) implements SubmissionResult {
        public Accepted {
            ids = List.copyOf(ids);
        }
    }

    /**
     * Nothing of the request was queued.
     *
     * @param status the HTTP status that fits: 400 for a wrong field, 413 for a message or request over the size
     *               limit, 415 for an unknown content type, 503 when the spool cannot store (try again later)
     * @param field  the request field that is wrong ({@code body} for the request as a whole)
     */
    record Rejected(int status, String field, String message) implements SubmissionResult {
    }

    /**
     * A batch stopped part-way when the spool failed (disk full): the messages in {@code accepted} are committed and
     * will be delivered (they are the first recipients' in request order); the rest were not queued.
     */
    record Interrupted(List<QueueId> accepted, Rejected reason) implements SubmissionResult {
        public Interrupted {
            accepted = List.copyOf(accepted);
        }
    }

    static Rejected badField(String field, String message) {
        return new Rejected(400, field, message);
    }
}
