package org.heraldmta.admin;

import java.time.InstantSource;
import java.util.Optional;
import org.heraldmta.log.EventReader;
import org.heraldmta.log.TranscriptStore;
import org.heraldmta.qmgr.QueueManager;
import org.heraldmta.spool.Spool;
import org.heraldmta.submission.SendingApiHandler;

/**
 * Everything the admin server reads from and acts on; it keeps no state of its own beyond these.
 *
 * @param queue       snapshot, wait reasons and operator actions
 * @param spool       envelopes and per-recipient states
 * @param events      events.jsonl, for a message's history
 * @param transcripts every attempt's transcript
 * @param activity    counters, timeline, recent events and the live tail
 * @param config      the running configuration, its rules and reload
 * @param info        version, start time, listeners
 * @param sending     the HTTP sending API, mounted at {@code POST /api/v1/messages} when present
 * @param clock       the time of ages and uptime
 */
public record AdminServices(QueueManager queue, Spool spool, EventReader events, TranscriptStore transcripts,
                            Activity activity, ConfigControl config, ServerInfo info,
                            Optional<SendingApiHandler> sending, InstantSource clock) {
}
