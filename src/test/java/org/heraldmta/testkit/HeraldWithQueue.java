package org.heraldmta.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.heraldmta.app.Herald;

/**
 * A real Herald, started in-process on a configuration file with every listener on port 0, with a real queue:
 * dnsmasq names {@code dead.test}, whose MX host refuses connections (its mail stays deferred, retried only after
 * an hour unless someone asks), and {@code sink.test}, whose MX host is Postfix's smtp-sink (its mail is
 * delivered). For tests of the clients of the admin API: the command line and the console.
 */
public final class HeraldWithQueue implements AutoCloseable {

    public static final String DEAD_MX_IP = "127.0.0.61";
    public static final String SINK_MX_IP = "127.0.0.62";

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<String> deferred = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final String token;
    private Path configFile;
    private Herald herald;
    private SmtpSink sink;

    private HeraldWithQueue(String token) {
        this.token = token;
    }

    /** Starts everything and submits {@code deadMessages} to dead.test and {@code sinkMessages} to sink.test. */
    public static HeraldWithQueue start(Path work, int deadMessages, int sinkMessages) throws Exception {
        return start(work, deadMessages, sinkMessages, null);
    }

    /** As {@link #start(Path, int, int)}, with {@code [admin] token} set when {@code token} is not null. */
    public static HeraldWithQueue start(Path work, int deadMessages, int sinkMessages, String token) throws Exception {
        HeraldWithQueue fixture = new HeraldWithQueue(token);
        try {
            fixture.startAll(work, deadMessages, sinkMessages);
            return fixture;
        } catch (Exception | AssertionError e) {
            fixture.close();
            throw e;
        }
    }

    private void startAll(Path work, int deadMessages, int sinkMessages) throws Exception {
        Dnsmasq dns = remember(Dnsmasq.start("mx.sink.test",
                "--mx-host=dead.test,mx.dead.test,10", "--host-record=mx.dead.test," + DEAD_MX_IP,
                "--mx-host=sink.test,mx.sink.test,10", "--host-record=mx.sink.test," + SINK_MX_IP));
        sink = remember(SmtpSink.start(work, SINK_MX_IP, 0));
        int refusing = SmtpSink.freePort(DEAD_MX_IP);
        TestHeraldConfig config = TestHeraldConfig.resolvingAt(dns.server());
        if (token != null) {
            config = config.withAdminToken(token);
        }
        herald = remember(config.start(work, """
                [domains.default]
                port = %d
                relay_attempts = 0

                [domains."dead.test"]
                port = %d
                direct_attempts = 50
                delay_after_failure = "1h"
                """.formatted(sink.port(), refusing)));
        configFile = TestHeraldConfig.fileIn(work);
        int smtpPort = herald.smtpAddresses().get(0).getPort();
        for (int i = 1; i <= deadMessages; i++) {
            deferred.add(Submitter.submit("127.0.0.1", smtpPort, "shop@sender.test",
                    List.of("customer" + i + "@dead.test"), "token-dead-" + i));
        }
        for (int i = 1; i <= sinkMessages; i++) {
            delivered.add(Submitter.submit("127.0.0.1", smtpPort, "shop@sender.test",
                    List.of("friend" + i + "@sink.test"), "token-sink-" + i));
        }
        await(() -> sink.messageCount() >= sinkMessages, "the sink to receive " + sinkMessages + " message(s)");
        await(() -> deferred.stream().allMatch(this::triedOnce), "every dead.test message to be tried once");
    }

    private boolean triedOnce(String id) {
        try {
            return get("/api/v1/queue/" + id).matches("(?s).*\"attempts\"\\s*:\\s*\\[\\s*\\{.*");
        } catch (IOException e) {
            return false;
        }
    }

    /** GET on the admin API; the body of a 200 answer. */
    public String get(String path) throws IOException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(adminUri(path));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public URI adminUri(String path) {
        return URI.create("http://" + adminAddress() + path);
    }

    /** The admin listener as {@code 127.0.0.1:PORT}. */
    public String adminAddress() {
        return "127.0.0.1:" + herald.adminAddress().getPort();
    }

    public int smtpPort() {
        return herald.smtpAddresses().get(0).getPort();
    }

    public Herald herald() {
        return herald;
    }

    public Path configFile() {
        return configFile;
    }

    /** Queue ids of the messages to dead.test, oldest first. */
    public List<String> deferredIds() {
        return List.copyOf(deferred);
    }

    public List<String> deliveredIds() {
        return List.copyOf(delivered);
    }

    /** Waits up to 20 s for {@code condition}. */
    public static void await(Check condition, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A condition that may throw while it is checked. */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    private <T extends AutoCloseable> T remember(T stage) {
        started.add(stage);
        return stage;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable each : started.reversed()) {
            each.close();
        }
    }
}
