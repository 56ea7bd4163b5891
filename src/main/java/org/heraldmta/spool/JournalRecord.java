package org.heraldmta.spool;

import java.util.List;
import org.heraldmta.mail.QueueId;

/** What one journal record says, apart from message content (which stays on disk and is read by position). */
sealed interface JournalRecord {

    QueueId id();

    RecordType type();

    /** A message with its state at the time of writing; its content follows the metadata. */
    record Message(SpooledMessage message) implements JournalRecord {
        @Override
        public QueueId id() {
            return message.id();
        }

        @Override
        public RecordType type() {
            return RecordType.MESSAGE;
        }
    }

    /** The complete new state of every recipient (not a difference), so only the newest update counts. */
    record Update(QueueId id, List<RecipientStatus> recipients, boolean held) implements JournalRecord {
        public Update {
            recipients = List.copyOf(recipients);
        }

        @Override
        public RecordType type() {
            return RecordType.UPDATE;
        }
    }

    record Remove(QueueId id) implements JournalRecord {
        @Override
        public RecordType type() {
            return RecordType.REMOVE;
        }
    }
}
