package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.heraldmta.testkit.Dnsmasq;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.SmtpSink;
import org.heraldmta.testkit.Submitter;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 messages to 10 domains with different settings through a running Herald, dnsmasq and smtp-sink: two
 * domains that refuse everything (nothing listens; a 421 greeting) do not hold up the other eight, which share
 * nothing with them.
 */
@Timeout(300)
class DomainSettingsEndToEndTest {

    private static final List<String> GOOD = List.of("conn1.test", "conn3.test", "rate.test", "burst.test",
            "reuse.test", "hotmail.test", "live.test", "plain.test");
    private static final int PER_DOMAIN = 100;

    @TempDir
    Path work;

    @Test
    void domainsThatRefuseEverythingDoNotHoldUpTheOthers() throws Exception {
        int deadPort = SmtpSink.freePort("127.0.0.49");
        try (SmtpSink sink = SmtpSink.start(work, "127.0.0.41", 0);
             FakeSmtpPeer busy = FakeSmtpPeer.startOn("127.0.0.48").greeting(421, "4.7.0 too busy, rate limit");
             Dnsmasq dns = Dnsmasq.start("mx.plain.test", records())) {
            try (Herald herald = TestHeraldConfig.resolvingAt(dns.server()).start(work, """
                    [domains.default]
                    port = %d
                    relay_attempts = 0
                    max_connections = 4
                    delay_after_failure = ["1s", "2s"]
                    [domains."conn1.test"]
                    max_connections = 1
                    [domains."conn3.test"]
                    max_connections = 3
                    [domains."rate.test"]
                    max_message_rate = "50/s"
                    [domains."burst.test"]
                    max_continuous = 20
                    delay_for_continuing = "200ms"
                    [domains."reuse.test"]
                    max_messages_per_connection = 10
                    [mx."*.outlook.test"]
                    max_connections = 2
                    [domains."dead.test"]
                    port = %d
                    direct_attempts = 50
                    [domains."busy.test"]
                    port = %d
                    direct_attempts = 50
                    throttle_replies = ["421"]
                    throttle_pause = "1m"
                    """.formatted(sink.port(), deadPort, busy.port()))) {
                int port = herald.smtpAddresses().get(0).getPort();
                List<String> domains = new ArrayList<>(GOOD);
                domains.add("dead.test");
                domains.add("busy.test");
                submitAll(port, domains);

                Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
                while (sink.messageCount() < GOOD.size() * PER_DOMAIN && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }

                assertThat(sink.messageCount()).isEqualTo(GOOD.size() * PER_DOMAIN);
                // the event log is written behind the deliveries
                while (countByDomain("delivered").values().stream().mapToLong(Long::longValue).sum()
                        < GOOD.size() * PER_DOMAIN && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                }
                Map<String, Long> delivered = countByDomain("delivered");
                for (String domain : GOOD) {
                    assertThat(delivered.get(domain)).as(domain).isEqualTo(PER_DOMAIN);
                }
                assertThat(delivered).doesNotContainKeys("dead.test", "busy.test");
                assertThat(herald.queue().size()).as("the refusing domains' messages are still queued")
                        .isEqualTo(2 * PER_DOMAIN);
                assertThat(countByDomain("deferred")).containsKey("dead.test").containsKey("busy.test");
                assertThat(events("throttled")).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.get("destination").asText()).isEqualTo("busy.test"));
                assertThat(busy.connections()).as("paused after the first 421s, not hammered")
                        .isLessThanOrEqualTo(4);
            }
        }
    }

    private static String[] records() {
        List<String> records = new ArrayList<>();
        for (String domain : List.of("conn1.test", "conn3.test", "rate.test", "burst.test", "reuse.test",
                "plain.test")) {
            records.add("--mx-host=" + domain + ",mx." + domain + ",10");
            records.add("--host-record=mx." + domain + ",127.0.0.41");
        }
        records.add("--mx-host=hotmail.test,mx1.outlook.test,10");
        records.add("--mx-host=live.test,mx2.outlook.test,10");
        records.add("--host-record=mx1.outlook.test,127.0.0.41");
        records.add("--host-record=mx2.outlook.test,127.0.0.41");
        records.add("--mx-host=dead.test,mx.dead.test,10");
        records.add("--host-record=mx.dead.test,127.0.0.49");
        records.add("--mx-host=busy.test,mx.busy.test,10");
        records.add("--host-record=mx.busy.test,127.0.0.48");
        return records.toArray(String[]::new);
    }

    /** The refusing domains' messages go first, so that they are in the queue before most of the others. */
    private static void submitAll(int port, List<String> domains) throws Exception {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < PER_DOMAIN; i++) {
            for (String domain : domains.reversed()) {
                order.add("r" + i + "@" + domain);
            }
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> ids = new ArrayList<>();
            for (String recipient : order) {
                ids.add(pool.submit(() -> Submitter.submit("127.0.0.1", port, "someone@sender.test",
                        List.of(recipient), "token-" + recipient)));
            }
            for (Future<String> id : ids) {
                assertThat(id.get()).isNotBlank();
            }
        }
    }

    private List<JsonNode> events(String name) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(work.resolve("var/log/events.jsonl"))) {
            JsonNode event = json.readTree(line);
            if (event.path("event").asText().equals(name)) {
                out.add(event);
            }
        }
        return out;
    }

    private Map<String, Long> countByDomain(String name) throws IOException {
        return events(name).stream().collect(Collectors.groupingBy(e -> e.path("domain").asText(),
                Collectors.counting()));
    }
}
