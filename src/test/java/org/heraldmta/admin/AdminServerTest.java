package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.SpooledMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every read endpoint of the admin API against a real server, spool and queue manager. */
class AdminServerTest {

    @TempDir
    Path dir;

    private AdminHarness herald;

    @BeforeEach
    void start() throws Exception {
        herald = AdminHarness.start(dir, """
                [domains."grey.test"]
                max_connections = 2
                """);
    }

    @AfterEach
    void stop() throws Exception {
        herald.close();
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.path(field).asText()));
        return out;
    }

    @Test
    void statusCountsTheQueueByStateAndTheEventsSinceStart() throws Exception {
        herald.accept("alice@sender.test", "bob@ok.test");
        herald.accept("alice@sender.test", "carl@grey.test");
        herald.queue.runUntilIdle();

        JsonNode status = AdminHarness.ok(herald.get("/api/v1/status"));

        assertThat(status.path("hostname").asText()).isEqualTo("herald.test");
        assertThat(status.path("version").asText()).isEqualTo("0.1.0");
        assertThat(status.path("uptime_seconds").isNumber()).isTrue();
        assertThat(status.path("queue").path("deferred").asInt()).isEqualTo(1);
        assertThat(status.path("queue").path("messages").asInt()).isEqualTo(1);
        assertThat(status.path("connections_in_use").asInt()).isZero();
        assertThat(status.path("counters").path("received").asInt()).isEqualTo(2);
        assertThat(status.path("counters").path("delivered").asInt()).isEqualTo(1);
        assertThat(status.path("counters").path("deferred").asInt()).isEqualTo(1);
        assertThat(status.path("counters").path("bounced").asInt()).isZero();
    }

    @Test
    void theQueueIsListedNewestFirstOnePageAtATime() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(herald.accept("alice@sender.test", "r" + i + "@grey.test").id().value());
            Thread.sleep(2); // distinct acceptance times
        }

        JsonNode first = AdminHarness.ok(herald.get("/api/v1/queue?limit=2"));
        JsonNode second = AdminHarness.ok(herald.get("/api/v1/queue?limit=2&offset=2"));

        assertThat(first.path("total").asInt()).isEqualTo(5);
        assertThat(first.path("limit").asInt()).isEqualTo(2);
        assertThat(texts(first.path("entries"), "id")).containsExactly(ids.get(4), ids.get(3));
        assertThat(texts(second.path("entries"), "id")).containsExactly(ids.get(2), ids.get(1));
        JsonNode entry = first.path("entries").get(0);
        assertThat(entry.path("sender").asText()).isEqualTo("alice@sender.test");
        assertThat(entry.path("domain").asText()).isEqualTo("grey.test");
        assertThat(texts(entry.path("recipients"), "x")).hasSize(1);
        assertThat(entry.path("recipients").get(0).asText()).isEqualTo("r4@grey.test");
        assertThat(entry.path("state").asText()).isEqualTo("queued");
        assertThat(entry.path("received").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(entry.path("size").asLong()).isPositive();
        assertThat(entry.path("attempts").asInt()).isZero();
        assertThat(entry.path("last_reply").isNull()).isTrue();
    }

    @Test
    void theQueueIsFilteredByDomainStateSenderRecipientAndAge() throws Exception {
        herald.accept("alice@sender.test", "bob@grey.test");
        herald.accept("Zed@Other.test", "carl@grey.test", "dora@held.test");
        SpooledMessage held = herald.accept("alice@sender.test", "eve@held.test");
        herald.queue.hold(held.id());

        assertThat(AdminHarness.ok(herald.get("/api/v1/queue?domain=grey.test")).path("total").asInt()).isEqualTo(2);
        assertThat(texts(AdminHarness.ok(herald.get("/api/v1/queue?state=held")).path("entries"), "id"))
                .containsExactly(held.id().value());
        assertThat(AdminHarness.ok(herald.get("/api/v1/queue?sender=zed@OTHER")).path("total").asInt())
                .isEqualTo(2);
        assertThat(AdminHarness.ok(herald.get("/api/v1/queue?recipient=DORA")).path("total").asInt()).isEqualTo(1);
        assertThat(AdminHarness.ok(herald.get("/api/v1/queue?max_age=3600")).path("total").asInt()).isEqualTo(4);
        assertThat(AdminHarness.ok(herald.get("/api/v1/queue?min_age=3600")).path("total").asInt()).isZero();

        HttpResponse<String> badState = herald.get("/api/v1/queue?state=lost");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(badState).path("error").asText()).startsWith("state: must be one of");
        assertThat(herald.get("/api/v1/queue?limit=1001").statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(herald.get("/api/v1/queue?min_age=soon")).path("error").asText())
                .startsWith("min_age:");
    }

    @Test
    void waitReasonsAreWrittenInTheTimeZoneTheClientAsksFor() throws Exception {
        QueueId id = herald.accept("alice@sender.test", "bob@grey.test").id();
        herald.queue.runUntilIdle();

        JsonNode utc = AdminHarness.ok(herald.get("/api/v1/queue?domain=grey.test")).path("entries").get(0);
        JsonNode adelaide = AdminHarness.ok(herald.get("/api/v1/queue/" + id.value() + "?tz=Australia/Adelaide"))
                .path("parts").get(0);

        java.time.Instant until = java.time.Instant.parse(utc.path("reason_until").asText());
        java.time.format.DateTimeFormatter clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");
        assertThat(utc.path("reason").asText())
                .startsWith("retry at " + clock.format(until.atZone(java.time.ZoneOffset.UTC)) + " after ");
        assertThat(adelaide.path("reason").asText()).startsWith("retry at "
                + clock.format(until.atZone(java.time.ZoneId.of("Australia/Adelaide"))) + " after ");
        HttpResponse<String> badZone = herald.get("/api/v1/domains?tz=Mars/Olympus");
        assertThat(badZone.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(badZone).path("error").asText()).startsWith("tz: not a time zone");
    }

    @Test
    void aDeferredMessageShowsItsRecipientsReasonTranscriptAndEvents() throws Exception {
        QueueId id = herald.accept("alice@sender.test", "bob@grey.test").id();
        herald.queue.runUntilIdle();
        herald.file.flush();

        JsonNode message = AdminHarness.ok(herald.get("/api/v1/queue/" + id.value()));

        assertThat(message.path("id").asText()).isEqualTo(id.value());
        assertThat(message.path("sender").asText()).isEqualTo("alice@sender.test");
        assertThat(message.path("state").asText()).isEqualTo("deferred");
        JsonNode part = message.path("parts").get(0);
        assertThat(part.path("reason").asText()).startsWith("retry at ").contains("451 4.7.1 greylisted");
        assertThat(part.path("next_attempt").isTextual()).isTrue();
        assertThat(part.path("attempts").asInt()).isEqualTo(1);
        JsonNode recipient = message.path("recipients").get(0);
        assertThat(recipient.path("address").asText()).isEqualTo("bob@grey.test");
        assertThat(recipient.path("status").asText()).isEqualTo("pending");
        assertThat(recipient.path("direct_attempts").asInt()).isEqualTo(1);
        assertThat(recipient.path("last_reply").asText()).contains("greylisted");
        JsonNode attempt = message.path("attempts").get(0);
        assertThat(attempt.path("attempt").asInt()).isEqualTo(1);
        assertThat(attempt.path("mode").asText()).isEqualTo("direct");
        assertThat(attempt.path("duration_seconds").isNumber()).isTrue();
        assertThat(texts(attempt.path("lines"), "kind")).containsExactly("info", "sent");
        assertThat(texts(message.path("events"), "event")).containsExactly("received", "deferred");
    }

    @Test
    void aMessageThatLeftTheQueueIsShownFromTheLog() throws Exception {
        QueueId id = herald.accept("alice@sender.test", "bob@ok.test").id();
        herald.queue.runUntilIdle();
        herald.file.flush();

        JsonNode message = AdminHarness.ok(herald.get("/api/v1/queue/" + id.value()));

        assertThat(message.path("state").asText()).isEqualTo("finished");
        assertThat(message.path("parts").isEmpty()).isTrue();
        assertThat(message.path("sender").asText()).isEqualTo("alice@sender.test");
        assertThat(message.path("recipients").get(0).path("status").asText()).isEqualTo("delivered");
        assertThat(message.path("attempts")).hasSize(1);
        assertThat(texts(message.path("events"), "event")).containsExactly("received", "delivered");
    }

    @Test
    void anUnknownMessageIsNotFoundAndAMalformedIdIsABadParameter() throws Exception {
        HttpResponse<String> unknown = herald.get("/api/v1/queue/0123456789ABCDEF");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(AdminHarness.json(unknown).path("error").asText()).contains("0123456789ABCDEF");
        assertThat(herald.get("/api/v1/queue/nope").statusCode()).isEqualTo(400);
    }

    @Test
    void domainsShowTheirQueueLimitAndLastReply() throws Exception {
        herald.accept("alice@sender.test", "bob@grey.test");
        herald.accept("alice@sender.test", "carl@grey.test");
        herald.queue.runUntilIdle();
        herald.accept("alice@sender.test", "dora@fresh.test");

        JsonNode domains = AdminHarness.ok(herald.get("/api/v1/domains")).path("domains");

        assertThat(texts(domains, "domain")).containsExactly("fresh.test", "grey.test");
        JsonNode grey = domains.get(1);
        assertThat(grey.path("queued").asInt()).isEqualTo(2);
        assertThat(grey.path("in_flight").asInt()).isZero();
        assertThat(grey.path("max_connections").asInt()).isEqualTo(2);
        assertThat(grey.path("shaping").asText()).isEqualTo("ok");
        assertThat(grey.path("last_reply").asText()).contains("greylisted");
        assertThat(grey.path("next_attempt").isTextual()).isTrue();
        assertThat(domains.get(0).path("max_connections").asInt()).isEqualTo(5);
    }

    @Test
    void aDomainsSettingsNameTheRuleThatSetEachValue() throws Exception {
        JsonNode grey = AdminHarness.ok(herald.get("/api/v1/domains/grey.test/settings"));
        JsonNode other = AdminHarness.ok(herald.get("/api/v1/domains/other.test/settings"));

        assertThat(grey.path("domain").asText()).isEqualTo("grey.test");
        assertThat(grey.path("settings").path("max_connections").path("value").asInt()).isEqualTo(2);
        assertThat(grey.path("settings").path("max_connections").path("source").asText())
                .isEqualTo("domains.\"grey.test\"");
        assertThat(grey.path("settings").path("port").path("source").asText()).isEqualTo("built-in");
        assertThat(other.path("settings").path("max_connections").path("value").asInt()).isEqualTo(5);
        assertThat(other.path("settings").path("delay_after_failure").path("value").get(0).asText()).isEqualTo("1m");
        assertThat(herald.get("/api/v1/domains/not_a..domain/settings").statusCode()).isEqualTo(400);
    }

    @Test
    void recentEventsAreFilteredByNameAndMessageNewestLast() throws Exception {
        QueueId first = herald.accept("alice@sender.test", "bob@ok.test").id();
        QueueId second = herald.accept("alice@sender.test", "carl@bad.test").id();
        herald.queue.runUntilIdle();
        herald.file.flush();

        JsonNode all = AdminHarness.ok(herald.get("/api/v1/events")).path("events");
        JsonNode received = AdminHarness.ok(herald.get("/api/v1/events?event=received")).path("events");
        JsonNode last = AdminHarness.ok(herald.get("/api/v1/events?limit=1&event=received")).path("events");
        JsonNode ofFirst = AdminHarness.ok(herald.get("/api/v1/events?queue_id=" + first.value())).path("events");

        assertThat(texts(all, "event")).contains("received", "delivered", "bounced", "bounce_queued");
        assertThat(texts(received, "queue_id")).containsExactly(first.value(), second.value());
        assertThat(texts(last, "queue_id")).containsExactly(second.value());
        assertThat(texts(ofFirst, "event")).containsExactly("received", "delivered");
        assertThat(ofFirst.get(1).path("recipient").asText()).isEqualTo("bob@ok.test");
        assertThat(ofFirst.get(1).path("time").asText()).endsWith("Z");
        assertThat(herald.get("/api/v1/events?queue_id=x").statusCode()).isEqualTo(400);
    }

    @Test
    void theTimelineCountsThisMinutesMessages() throws Exception {
        herald.accept("alice@sender.test", "bob@ok.test");
        herald.accept("alice@sender.test", "carl@grey.test");
        herald.queue.runUntilIdle();

        JsonNode minutes = AdminHarness.ok(herald.get("/api/v1/stats/timeline?minutes=5")).path("minutes");

        JsonNode now = minutes.get(minutes.size() - 1);
        assertThat(now.path("minute").asText()).matches(".*T\\d\\d:\\d\\d:00Z");
        int received = 0;
        int delivered = 0;
        int deferred = 0;
        for (JsonNode minute : minutes) {
            received += minute.path("received").asInt();
            delivered += minute.path("delivered").asInt();
            deferred += minute.path("deferred").asInt();
        }
        assertThat(List.of(received, delivered, deferred)).containsExactly(2, 1, 1);
        assertThat(minutes.size()).isBetween(1, 2); // the server started a moment ago
        assertThat(herald.get("/api/v1/stats/timeline?minutes=0").statusCode()).isEqualTo(400);
    }

    @Test
    void metricsAfterADeliveryCountItTimeItAndShowTheQueue() throws Exception {
        herald.accept("alice@sender.test", "bob@ok.test");
        herald.accept("alice@sender.test", "carl@grey.test");
        herald.queue.runUntilIdle();

        HttpResponse<String> response = herald.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String text = response.body();
        assertThat(text).contains("herald_messages_received_total 2.0")
                .contains("herald_recipients_total{domain=\"ok.test\",outcome=\"delivered\"} 1.0")
                .contains("herald_recipients_total{domain=\"grey.test\",outcome=\"deferred\"} 1.0")
                .contains("herald_recipients_total{domain=\"other\",outcome=\"bounced\"} 0.0")
                .contains("herald_delivery_latency_seconds_count 1")
                .contains("herald_queue_entries{state=\"deferred\"} 1.0")
                .contains("herald_queue_messages 1.0")
                .contains("herald_connections_in_use 0.0");
        assertThat(text.lines().filter(l -> l.startsWith("herald_spool_fsync_seconds_count")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0)).isPositive();
    }

    @Test
    void theLiveTailStreamsNewEvents() throws Exception {
        HttpRequest request = herald.request("/api/v1/events/stream").header("Accept", "text/event-stream").GET()
                .build();
        HttpResponse<Stream<String>> response = herald.http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(response.headers().toString())
                .startsWith("text/event-stream");
        Thread accepting = Thread.ofVirtual().start(() -> {
            try {
                // until the stream is subscribed, events before it are not its business
                while (herald.activity.tail().streams() == 0) {
                    Thread.sleep(10);
                }
                herald.accept("alice@sender.test", "bob@ok.test");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        String data;
        try (Stream<String> lines = response.body()) {
            data = lines.filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
        }
        accepting.join(TimeUnit.SECONDS.toMillis(10));

        JsonNode event = AdminHarness.JSON.readTree(data.substring("data:".length()));
        assertThat(event.path("event").asText()).isEqualTo("received");
        assertThat(event.path("recipients").get(0).asText()).isEqualTo("bob@ok.test");
    }

    @Test
    void theConsoleIsServedAtTheRoot() throws Exception {
        HttpResponse<String> page = herald.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Herald");
    }
}
