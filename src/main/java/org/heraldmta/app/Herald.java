package org.heraldmta.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.heraldmta.admin.Activity;
import org.heraldmta.admin.AdminServer;
import org.heraldmta.admin.AdminServices;
import org.heraldmta.admin.ConfigControl;
import org.heraldmta.admin.HeraldMetrics;
import org.heraldmta.admin.MeteredEventLog;
import org.heraldmta.admin.ServerInfo;
import org.heraldmta.auth.UserFileAuthenticator;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.config.HeraldConfig;
import org.heraldmta.dns.DnsJavaResolver;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventLog;
import org.heraldmta.log.EventReader;
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
import org.heraldmta.spool.FileSpoolOptions;
import org.heraldmta.spool.RecoveryReport;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.submission.MessageSubmission;
import org.heraldmta.submission.SendingApiHandler;
import org.heraldmta.submission.SubmissionLimits;
import org.heraldmta.tls.ReloadingServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: the one place that creates and connects the stages. Start order follows the data: the
 * event log, the spool (recovered), the delivery side with every recovered message queued, and only then the SMTP
 * listeners, so that nothing is accepted before it can be delivered, and last the admin server (API, console,
 * metrics, the HTTP sending API). Close runs in reverse. {@link #reload()} re-reads the configuration file.
 */
public final class Herald implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Herald.class);

    /** Herald's version, as {@code herald --version} and {@code /api/v1/status} give it. */
    public static final String VERSION = "0.1.0";

    private final Deque<AutoCloseable> stages = new ArrayDeque<>();
    private final AtomicReference<QueueSettings> queueSettings = new AtomicReference<>();
    private final ConfigLoader loader;
    private QueueManager queue;
    private FileSpool spool;
    private SmtpServer smtp;
    private EventLog events;
    private SwitchableTls tls;
    private RunningConfig running;
    private AdminServer admin;
    private InstantSource clock;

    private Herald(ConfigLoader loader) {
        this.loader = loader;
    }

    /**
     * Starts every stage on {@code config}.
     *
     * @throws IOException when a directory cannot be made, the spool cannot be opened or a listener cannot be bound;
     *                     whatever had started is closed again
     */
    public static Herald start(HeraldConfig config, InstantSource clock) throws IOException {
        // A reload without hostname in the file gets the name the first load fell back to.
        return start(config, new ConfigLoader(config.hostname(), Path.of("")), clock);
    }

    /**
     * Starts every stage on {@code config}; {@link #reload()} reads the file again with {@code loader}.
     *
     * @throws IOException as {@link #start(HeraldConfig, InstantSource)}
     */
    public static Herald start(HeraldConfig config, ConfigLoader loader, InstantSource clock) throws IOException {
        Herald herald = new Herald(loader);
        try {
            herald.startStages(config, clock);
            return herald;
        } catch (IOException | RuntimeException e) {
            herald.close();
            throw e;
        }
    }

    private void startStages(HeraldConfig config, InstantSource clock) throws IOException {
        this.clock = clock;
        Files.createDirectories(config.spoolDir());
        Files.createDirectories(config.logDir());

        Activity activity = new Activity(clock);
        events = opened(new MeteredEventLog(new JsonlEventLog(config.logDir()), activity));
        TranscriptStore transcripts = new TranscriptStore(config.logDir());

        spool = new FileSpool(config.spoolDir(), clock, new QueueId.Generator(clock),
                FileSpoolOptions.defaults().withForceListener(activity.metrics().fsyncListener()));
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

        tls = new SwitchableTls(ReloadingServerTls.forSettings(config.tls(), config.tlsDir(), config.hostname(),
                clock));
        SmtpSecurity security = SmtpSecurity.of(tls, new UserFileAuthenticator(config.auth().usersFile()));
        ReceivedMessages received = new ReceivedMessages(events, queue, clock);
        smtp = opened(new SmtpServer(config.smtp(), SessionLimits.DEFAULTS, config.hostname(), config.access(),
                security, spool, clock, received));
        smtp.start();
        LOG.info("Herald {} accepting SMTP on {}{}, {} message(s) in the queue", config.hostname(),
                smtp.boundAddresses(), smtp.boundTlsAddresses().isEmpty() ? "" : " and TLS on "
                        + smtp.boundTlsAddresses(), queue.size());

        running = new RunningConfig(loader, config, this::apply);
        activity.metrics().watchQueue(() -> new HeraldMetrics.QueueCounts(queue.snapshot().countByState(),
                queue.size()), queue::activeDeliveries);
        activity.metrics().watchInboundSessions(smtp::openSessions);
        MessageSubmission submission = new MessageSubmission(spool, config.hostname(),
                SubmissionLimits.of(config.smtp()), config.dataDir().resolve("tmp"), clock, received);
        ServerInfo info = new ServerInfo(VERSION, clock.instant(), smtp::boundAddresses, smtp::openSessions);
        admin = opened(new AdminServer(config.admin(), new AdminServices(queue, spool,
                new EventReader(config.logDir()), transcripts, activity, running, info,
                Optional.of(new SendingApiHandler(submission)), clock)));
        admin.start();
        LOG.info("admin API, console and metrics on {}/", admin.url());
    }

    /** Puts a reloaded configuration in place: TLS first (it can still fail), then the delivery settings. */
    private void apply(HeraldConfig next, Set<String> changed) throws ConfigException {
        if (changed.contains("tls")) {
            try {
                tls.replace(ReloadingServerTls.forSettings(next.tls(), next.tlsDir(), next.hostname(), clock));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(next.file().map(Path::toString).orElse("(config)")
                        + ": tls: the certificate and key cannot be used (" + e.getMessage() + ")", e);
            }
        }
        queueSettings.set(QueueSettings.from(next));
        queue.settingsChanged();
    }

    /**
     * Reads the configuration file again. An invalid file changes nothing; otherwise the rules, relays and TLS
     * take effect now, and the result names the keys that wait for a restart.
     *
     * @throws ConfigException with the loader's message when the file is invalid
     * @throws IllegalStateException when Herald runs on the embedded defaults, without a file
     */
    public ConfigControl.Reload reload() throws ConfigException {
        return running.reload();
    }

    /**
     * Makes SIGHUP reload the configuration, as daemons do. {@code sun.misc.Signal} (module jdk.unsupported) is the
     * only way the JDK offers to handle a signal other than by shutting down; if a JDK lacks it, reload stays
     * available through the API and {@code herald reload}.
     */
    public void reloadOnHangup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                try {
                    reload();
                } catch (ConfigException | RuntimeException e) {
                    LOG.error("SIGHUP: configuration not reloaded, the running settings stay: {}", e.getMessage());
                }
            });
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.warn("SIGHUP cannot be handled on this JVM ({}); reload through the admin API", e.toString());
        }
    }

    /** The admin server's address (port 0 in the configuration becomes the real port). */
    public InetSocketAddress adminAddress() {
        return admin.address();
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
