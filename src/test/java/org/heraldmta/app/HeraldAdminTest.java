package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.testkit.Dnsmasq;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.SmtpSink;
import org.heraldmta.testkit.Submitter;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running server with its admin side: one {@link Herald#start} serves SMTP and the HTTP API, the API shows what
 * SMTP accepted, the sending API's messages are delivered, and reload applies or refuses a configuration file.
 */
class HeraldAdminTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Dnsmasq dns;

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeSmtpPeer mx;
    private Herald herald;
    private Path file;

    @BeforeAll
    static void startDns() throws Exception {
        dns = Dnsmasq.start("mx.api.test", "--mx-host=api.test,mx.api.test,10",
                "--host-record=mx.api.test,127.0.0.51", "--mx-host=down.test,mx.down.test,10",
                "--host-record=mx.down.test,127.0.0.52");
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
        if (mx != null) {
            mx.close();
        }
        http.close();
    }

    private TestHeraldConfig settings() {
        return TestHeraldConfig.resolvingAt(dns.server());
    }

    /** The whole file: the shared head, then {@link #domainTables}. */
    private String config(String domainRules) throws Exception {
        return settings().header() + domainTables(domainRules);
    }

    private String domainTables(String domainRules) throws Exception {
        return """
                [domains."api.test"]
                port = %d

                [domains."down.test"]
                port = %d
                delay_after_failure = "1h"
                """.formatted(mx.port(), SmtpSink.freePort("127.0.0.52")) + domainRules;
    }

    private void start(String domainRules) throws Exception {
        mx = FakeSmtpPeer.startOn("127.0.0.51");
        herald = settings().start(work, domainTables(domainRules));
        file = TestHeraldConfig.fileIn(work);
    }

    private String api() {
        return "http://127.0.0.1:" + herald.adminAddress().getPort();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T await(Callable<T> value, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        T last = value.call();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = value.call();
        }
        return last;
    }

    @Test
    void oneStartServesSmtpAndTheApiWhichShowsTheMessageSmtpAccepted() throws Exception {
        start("");
        int smtpPort = herald.smtpAddresses().get(0).getPort();

        String id = Submitter.submit("127.0.0.1", smtpPort, "alice@sender.test", List.of("bob@down.test"),
                "token-admin-1");

        JsonNode queue = await(() -> JSON.readTree(get("/api/v1/queue?domain=down.test").body()),
                q -> q.path("entries").path(0).path("state").asText().equals("deferred"));
        assertThat(queue.path("total").asInt()).isEqualTo(1);
        assertThat(queue.path("entries").get(0).path("id").asText()).isEqualTo(id);
        assertThat(queue.path("entries").get(0).path("reason").asText()).startsWith("retry at");
        JsonNode message = JSON.readTree(get("/api/v1/queue/" + id).body());
        assertThat(message.path("sender").asText()).isEqualTo("alice@sender.test");
        assertThat(message.path("attempts").get(0).path("lines").isEmpty()).isFalse();
        JsonNode status = JSON.readTree(get("/api/v1/status").body());
        assertThat(status.path("smtp_listeners").get(0).asText()).isEqualTo("127.0.0.1:" + smtpPort);
        assertThat(status.path("counters").path("received").asInt()).isEqualTo(1);
    }

    @Test
    void aMessagePostedToTheRunningServerReachesTheMxAndIsCounted() throws Exception {
        start("");

        HttpResponse<String> accepted = post("/api/v1/messages", "application/json", """
                {"from": "shop@sender.test", "to": ["ann@api.test"], "subject": "order 42",
                 "text": "Thank you for order 42."}""");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("ids").get(0).asText();
        List<FakeSmtpPeer.ReceivedMessage> arrived = await(mx::messages, m -> !m.isEmpty());
        assertThat(arrived).hasSize(1);
        assertThat(arrived.get(0).recipients()).containsExactly("ann@api.test");
        assertThat(arrived.get(0).content()).contains("Subject: order 42").contains("Thank you for order 42.")
                .contains("Message-ID: <" + id + "@herald.test>");
        String metrics = await(() -> get("/metrics").body(),
                text -> text.contains("outcome=\"delivered\"} 1.0"));
        assertThat(metrics).contains("herald_recipients_total{domain=\"api.test\",outcome=\"delivered\"} 1.0")
                .contains("herald_delivery_latency_seconds_count 1");
        assertThat(post("/api/v1/messages", "application/json", "{\"from\": \"x\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void reloadRefusesAnInvalidFileKeepingTheRunningSettingsAndAppliesAValidOne() throws Exception {
        start("[domains.\"slow.test\"]\nmax_connections = 2\n");
        Files.writeString(file, config("[domains.\"slow.test\"]\nmax_connections = -1\n"));

        HttpResponse<String> refused = post("/api/v1/reload", "application/json", "");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("herald.toml")
                .contains("max_connections");
        assertThat(maxConnections("slow.test")).isEqualTo(2);

        Files.writeString(file, config("[domains.\"slow.test\"]\nmax_connections = 7\n")
                .replace("timeout = \"2s\"", "timeout = \"3s\""));
        HttpResponse<String> reloaded = post("/api/v1/reload", "application/json", "");

        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(reloaded.body());
        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("changed").toString()).isEqualTo("[\"dns\",\"domains\"]");
        assertThat(result.path("restart_needed").toString()).isEqualTo("[\"dns\"]");
        assertThat(maxConnections("slow.test")).isEqualTo(7);
        assertThat(herald.queue()).isNotNull();
    }

    @Test
    void rulesSavedThroughTheApiAreWrittenToTheFileAndApplied() throws Exception {
        start("");
        JsonNode rules = JSON.readTree(get("/api/v1/rules").body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) rules.path("domains"))
                .putObject("slow.test").put("max_connections", 3);

        HttpResponse<String> saved = http.send(HttpRequest.newBuilder(URI.create(api() + "/api/v1/rules"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(rules.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(Files.readString(file)).startsWith("# Herald under test\n").contains("[domains.\"slow.test\"]");
        assertThat(maxConnections("slow.test")).isEqualTo(3);
    }

    @Test
    void heraldRefusesToStartItsApiOnAWildcardAddressWithoutAToken() throws Exception {
        mx = FakeSmtpPeer.startOn("127.0.0.51");
        file = TestHeraldConfig.fileIn(work);
        Files.writeString(file, config("").replace("listen = \"127.0.0.1:0\"", "listen = \"0.0.0.0:0\""));
        ConfigLoader loader = new ConfigLoader("herald.test", work);

        assertThatThrownBy(() -> Herald.start(loader.load(file), loader, InstantSource.system()))
                .hasMessageContaining("[admin] token");
    }

    private int maxConnections(String domain) throws Exception {
        return JSON.readTree(get("/api/v1/domains/" + domain + "/settings").body()).path("settings")
                .path("max_connections").path("value").asInt();
    }
}
