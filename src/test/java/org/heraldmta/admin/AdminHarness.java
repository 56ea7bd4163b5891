package org.heraldmta.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.heraldmta.config.HeraldConfig;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventReader;
import org.heraldmta.log.JsonlEventLog;
import org.heraldmta.log.TranscriptStore;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.QueueId;
import org.heraldmta.qmgr.AttemptLog;
import org.heraldmta.qmgr.QueueManager;
import org.heraldmta.qmgr.QueueSettings;
import org.heraldmta.spool.FileSpool;
import org.heraldmta.spool.FileSpoolOptions;
import org.heraldmta.spool.IncomingMessage;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.submission.MessageSubmission;
import org.heraldmta.submission.SendingApiHandler;
import org.heraldmta.submission.SubmissionLimits;

/**
 * A real admin server on a loopback port over a real spool, queue manager (not started: a test runs deliveries with
 * {@link QueueManager#runUntilIdle()}), event log and transcript store, answered by {@link TestAgent}; and an HTTP
 * client that sends the headers a browser on the same origin would (Host, no Origin).
 */
final class AdminHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE_CONFIG = """
            # Herald test configuration
            hostname = "herald.test"
            data_dir = "var"

            [admin]
            listen = "127.0.0.1:0"
            %s
            """;

    final Path configFile;
    final FileSpool spool;
    final QueueManager queue;
    final Activity activity;
    final TestConfig config;
    final AdminServer server;
    final JsonlEventLog file;
    final MeteredEventLog events;
    final HttpClient http = HttpClient.newHttpClient();
    private final InstantSource clock = InstantSource.system();
    private final Optional<String> token;

    private AdminHarness(Path dir, String configText) throws Exception {
        configFile = dir.resolve("herald.toml");
        Files.writeString(configFile, configText);
        AtomicReference<QueueSettings> settings = new AtomicReference<>();
        AtomicReference<QueueManager> queueRef = new AtomicReference<>();
        config = new TestConfig(configFile, next -> {
            settings.set(QueueSettings.from(next));
            queueRef.get().settingsChanged();
        });
        HeraldConfig loaded = config.current();
        token = loaded.admin().token();
        settings.set(QueueSettings.from(loaded));
        activity = new Activity(clock);
        file = new JsonlEventLog(loaded.logDir());
        events = new MeteredEventLog(file, activity);
        TranscriptStore transcripts = new TranscriptStore(loaded.logDir());
        spool = new FileSpool(loaded.spoolDir(), clock, new QueueId.Generator(clock),
                FileSpoolOptions.defaults().withForceListener(activity.metrics().fsyncListener()));
        spool.open();
        queue = new QueueManager(spool, new TestAgent(clock), settings::get, events, (id, attempt, request,
                report) -> {
            try {
                transcripts.append(id, new org.heraldmta.log.AttemptTranscript(attempt, "direct", report.started(),
                        report.finished(), report.transcript().stream().map(l -> new org.heraldmta.log
                        .AttemptTranscript.Line(l.time(), l.kind().name().toLowerCase(), l.text())).toList()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, clock);
        queueRef.set(queue);
        activity.metrics().watchQueue(() -> new HeraldMetrics.QueueCounts(queue.snapshot().countByState(),
                queue.size()), queue::activeDeliveries);
        server = new AdminServer(loaded.admin(), new AdminServices(queue, spool, new EventReader(loaded.logDir()),
                transcripts, activity, config, new ServerInfo("0.1.0", clock.instant(), List::of, () -> 0),
                Optional.of(new SendingApiHandler(new MessageSubmission(spool, "herald.test",
                        SubmissionLimits.of(loaded.smtp()), dir.resolve("tmp"), clock,
                        (message, ip, size) -> queue.enqueue(message)))), clock));
        server.start();
    }

    static AdminHarness start(Path dir) throws Exception {
        return start(dir, "");
    }

    static AdminHarness start(Path dir, String extraConfig) throws Exception {
        return new AdminHarness(dir, BASE_CONFIG.formatted(extraConfig));
    }

    /** Commits a message and tells the queue, as the SMTP server does, with its {@code received} event. */
    SpooledMessage accept(String sender, String... recipients) throws Exception {
        List<Address> to = Arrays.stream(recipients).map(Address::parse).toList();
        SpooledMessage message;
        try (IncomingMessage incoming = spool.begin()) {
            incoming.content().write(("Subject: test\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII));
            message = incoming.commit(new Envelope(Address.parse(sender), to, clock.instant(), "127.0.0.1",
                    "client.test", false, false));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("queue_id", message.id().value());
        fields.put("sender", sender);
        fields.put("recipients", List.of(recipients));
        fields.put("size", message.size());
        fields.put("client_ip", "127.0.0.1");
        events.write(new Event(clock.instant(), "received", fields));
        queue.enqueue(message);
        return message;
    }

    String base() {
        return "http://127.0.0.1:" + server.address().getPort();
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path));
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<String> put(String path, String body) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The body of a 200 reply as JSON. */
    static JsonNode ok(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200, got " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.close();
        queue.close();
        events.close();
        spool.close();
        http.close();
    }
}
