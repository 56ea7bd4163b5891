package org.heraldmta.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.heraldmta.auth.UserFileAuthenticator;
import org.heraldmta.config.HeraldConfig;
import org.heraldmta.dns.DnsJavaResolver;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventLogRotation;
import org.heraldmta.log.JsonlEventLog;
import org.heraldmta.log.TranscriptStore;
import org.heraldmta.mail.QueueId;
import org.heraldmta.qmgr.QueueManager;
import org.heraldmta.qmgr.QueueSettings;
import org.heraldmta.smtp.SmtpClientSettings;
import org.heraldmta.smtp.SmtpDeliveryAgent;
import org.heraldmta.smtpd.SessionLimits;
import org.heraldmta.smtpd.SmtpSecurity;
import org.heraldmta.smtpd.SmtpServer;
import org.heraldmta.spool.FileSpool;
import org.heraldmta.spool.RecoveryReport;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.tls.ReloadingServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: the one place that creates and connects the stages. Start order follows the data: the
 * event log, the spool (recovered), the delivery side with every recovered message queued, and only then the SMTP
 * listeners, so that nothing is accepted before it can be delivered. Close runs in reverse.
 */
public final class Herald implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Herald.class);

    private final Deque<AutoCloseable> stages = new ArrayDeque<>();
    private final AtomicReference<QueueSettings> queueSettings = new AtomicReference<>();
    private QueueManager queue;
    private FileSpool spool;
    private SmtpServer smtp;
    private JsonlEventLog events;

    private Herald() {
    }

    /**
     * Starts every stage on {@code config}.
     *
     * @throws IOException when a directory cannot be made, the spool cannot be opened or a listener cannot be bound;
     *                     whatever had started is closed again
     */
    public static Herald start(HeraldConfig config, InstantSource clock) throws IOException {
        Herald herald = new Herald();
        try {
            herald.startStages(config, clock);
            return herald;
        } catch (IOException | RuntimeException e) {
            herald.close();
            throw e;
        }
    }

    private void startStages(HeraldConfig config, InstantSource clock) throws IOException {
        Files.createDirectories(config.spoolDir());
        Files.createDirectories(config.logDir());

        events = opened(new JsonlEventLog(config.logDir(), new EventLogRotation(config.log().eventsMaxSize(),
                config.log().eventsMaxAge(), config.log().eventsKeep()), clock));
        TranscriptStore transcripts = new TranscriptStore(config.logDir());

        spool = new FileSpool(config.spoolDir(), clock, new QueueId.Generator(clock));
        RecoveryReport recovery = spool.open();
        stages.push(spool);
        LOG.info("spool {}: {} message(s) recovered", config.spoolDir(), recovery.recovered());
        for (RecoveryReport.Quarantined damaged : recovery.quarantined()) {
            LOG.warn("spool: damaged entry moved aside to {}: {}", damaged.movedTo(), damaged.reason());
            events.write(new Event(clock.instant(), "quarantined", Map.of("path", damaged.movedTo().toString(),
                    "reason", damaged.reason())));
        }

        DnsJavaResolver resolver = new DnsJavaResolver(config.dns(), clock, new SecureRandom());
        SmtpDeliveryAgent agent = opened(new SmtpDeliveryAgent(resolver, SmtpClientSettings.DEFAULTS, clock));
        queueSettings.set(QueueSettings.from(config));
        queue = opened(new QueueManager(spool, agent, queueSettings::get, events,
                new TranscriptAttemptLog(transcripts), clock));
        for (SpooledMessage message : spool.messages()) {
            queue.enqueue(message);
        }
        queue.start();

        ReloadingServerTls tls = ReloadingServerTls.forSettings(config.tls(), config.tlsDir(), config.hostname(),
                clock);
        SmtpSecurity security = SmtpSecurity.of(tls, new UserFileAuthenticator(config.auth().usersFile()));
        smtp = opened(new SmtpServer(config.smtp(), SessionLimits.DEFAULTS, config.hostname(), config.access(),
                security, spool, clock, new ReceivedMessages(events, queue, clock)));
        smtp.start();
        LOG.info("Herald {} accepting SMTP on {}{}, {} message(s) in the queue", config.hostname(),
                smtp.boundAddresses(), smtp.boundTlsAddresses().isEmpty() ? "" : " and TLS on "
                        + smtp.boundTlsAddresses(), queue.size());
    }

    private <T extends AutoCloseable> T opened(T stage) {
        stages.push(stage);
        return stage;
    }

    /** The addresses the SMTP listeners are bound to (port 0 in the configuration becomes the real port). */
    public List<InetSocketAddress> smtpAddresses() {
        return smtp.boundAddresses();
    }

    public QueueManager queue() {
        return queue;
    }

    /** Closes the stages in reverse start order; a failure of one is logged and does not stop the others. */
    @Override
    public synchronized void close() {
        while (!stages.isEmpty()) {
            AutoCloseable stage = stages.pop();
            try {
                stage.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", stage.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
