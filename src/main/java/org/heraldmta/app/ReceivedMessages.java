package org.heraldmta.app;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventLog;
import org.heraldmta.qmgr.QueueManager;
import org.heraldmta.smtpd.MessageAcceptedListener;
import org.heraldmta.spool.RecipientStatus;
import org.heraldmta.spool.SpooledMessage;

/** What happens to a message once it is committed: a {@code received} event, then the queue manager has it. */
final class ReceivedMessages implements MessageAcceptedListener {

    private final EventLog events;
    private final QueueManager queue;
    private final InstantSource clock;

    ReceivedMessages(EventLog events, QueueManager queue, InstantSource clock) {
        this.events = events;
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public void accepted(SpooledMessage message, String clientIp, long size) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("queue_id", message.id().value());
        fields.put("sender", message.envelope().sender().toString());
        fields.put("recipients", message.recipients().stream().map(RecipientStatus::recipient)
                .map(Object::toString).toList());
        fields.put("size", size);
        fields.put("client_ip", clientIp);
        events.write(new Event(clock.instant(), "received", fields));
        queue.enqueue(message);
    }
}
