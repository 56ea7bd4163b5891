package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heraldmta.testkit.Dnsmasq;
import org.heraldmta.testkit.HeraldProcess;
import org.heraldmta.testkit.LoadSenders;
import org.heraldmta.testkit.SmtpSink;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault script's scenarios (bench/faults.sh runs them; tagged {@code faults}, so the normal suite leaves them
 * out): a Herald process under load killed with SIGKILL at random moments many times, and a Herald whose disk
 * fills up and empties again. Each ends by counting what was sent, acknowledged with 250 and delivered to a real
 * smtp-sink, and holds that no acknowledged message is lost. The figures go to standard output and to
 * {@code target/faults/<scenario>.txt}.
 *
 * <p>System properties: {@code herald.faults.loops} (kills, default 10), {@code herald.faults.clients} (default
 * 8), {@code herald.faults.seed}, and {@code herald.faults.smallfs}: a directory on a small file system of its own
 * (the disk-full scenario is skipped without it; bench/faults.sh mounts a tmpfs in a private mount namespace).
 */
@Tag("faults")
class FaultScriptTest {

    private static final Pattern MESSAGE_ID = Pattern.compile("(?m)^Message-ID: <([^@>]+)@load\\.test>");
    private static final Pattern BODY = Pattern.compile("(?m)^body (\\S+)");
    private static final Duration DELIVERY_LIMIT = Duration.ofSeconds(180);

    private final int loops = Integer.getInteger("herald.faults.loops", 10);
    private final int clients = Integer.getInteger("herald.faults.clients", 8);
    private final Random random = new Random(Long.getLong("herald.faults.seed", System.nanoTime()));

    @TempDir
    Path work;

    @Test
    void everyAcknowledgedMessageIsDeliveredAfterRepeatedSigkillsUnderLoad() throws Exception {
        int smtpPort = SmtpSink.freePort("127.0.0.1");
        try (Dnsmasq dns = Dnsmasq.start("mx.faults.test", "--mx-host=faults.test,mx.faults.test,10",
                "--host-record=mx.faults.test,127.0.0.43");
             SmtpSink mx = SmtpSink.start(work, "127.0.0.43", 0)) {
            Path config = writeConfig(work.resolve("var"), smtpPort, dns, mx.port());
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger sequence = new AtomicInteger();
            long sent = 0;
            Map<String, Long> outcomes = new HashMap<>();
            List<Long> killedAfterMillis = new ArrayList<>();
            Instant started = Instant.now();
            for (int loop = 1; loop <= loops; loop++) {
                try (HeraldProcess herald = HeraldProcess.start(config, smtpPort, work.resolve("run-" + loop + ".log"))) {
                    LoadSenders senders = LoadSenders.start(clients, "127.0.0.1", smtpPort, "faults.test", "kill",
                            sequence, acknowledged);
                    long wait = 300 + random.nextInt(2700);
                    Thread.sleep(wait);
                    herald.kill();
                    killedAfterMillis.add(wait);
                    senders.close();
                    sent += senders.sent();
                    senders.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
                }
            }
            Delivery delivery;
            try (HeraldProcess last = HeraldProcess.start(config, smtpPort, work.resolve("final.log"))) {
                delivery = awaitDelivered(mx, acknowledged);
            }
            String report = """
                    kill -9 loop: %d kills (after %s ms of load each), %d clients, %.0f s
                      sent %d, acknowledged (250) %d, delivered %d of them (%d copies at the sink, %d duplicates, \
                    %d delivered without a 250: killed between fsync and reply)
                      lost %d
                      outcomes of the attempts: %s
                    """.formatted(loops, killedAfterMillis, clients,
                    Duration.between(started, Instant.now()).toMillis() / 1000.0, sent, acknowledged.size(),
                    delivery.deliveredOf(acknowledged), delivery.copies(), delivery.duplicates(),
                    delivery.deliveredOutside(acknowledged), delivery.lost(acknowledged).size(), outcomes);
            publish("kill-loop", report);
            assertThat(acknowledged).hasSizeGreaterThan(loops * 5);
            assertThat(delivery.lost(acknowledged)).as("acknowledged but never delivered").isEmpty();
        }
    }

    @Test
    void aFullDiskRefusesWith452LosesNothingAndServiceResumesWhenSpaceReturns() throws Exception {
        String smallFs = System.getProperty("herald.faults.smallfs");
        Assumptions.assumeTrue(smallFs != null && !smallFs.isBlank(),
                "needs herald.faults.smallfs: a directory on a small file system (bench/faults.sh mounts one)");
        Path small = Path.of(smallFs);
        int smtpPort = SmtpSink.freePort("127.0.0.1");
        try (Dnsmasq dns = Dnsmasq.start("mx.full.test", "--mx-host=full.test,mx.full.test,10",
                "--host-record=mx.full.test,127.0.0.44");
             SmtpSink mx = SmtpSink.start(work, "127.0.0.44", 0)) {
            Path config = writeConfig(small.resolve("var"), smtpPort, dns, mx.port());
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger sequence = new AtomicInteger();
            Path filler = small.resolve("filler");
            StringBuilder report = new StringBuilder("disk full (" + small + "):\n");
            try (HeraldProcess herald = HeraldProcess.start(config, smtpPort, work.resolve("full.log"))) {
                Map<String, Long> before = load(sequence, acknowledged, smtpPort, "before", Duration.ofSeconds(3));
                report.append("  before: ").append(before).append('\n');

                long filled = fill(filler);
                Map<String, Long> full = load(sequence, acknowledged, smtpPort, "full", Duration.ofSeconds(4));
                report.append("  disk full (").append(filled / 1024).append(" KB filler): ").append(full).append('\n');

                Files.delete(filler);
                Map<String, Long> after = load(sequence, acknowledged, smtpPort, "after", Duration.ofSeconds(3));
                report.append("  space back: ").append(after).append('\n');

                Delivery delivery = awaitDelivered(mx, acknowledged);
                report.append("  acknowledged (250) ").append(acknowledged.size()).append(", delivered ")
                        .append(delivery.deliveredOf(acknowledged)).append(" (").append(delivery.duplicates())
                        .append(" duplicates), lost ").append(delivery.lost(acknowledged).size()).append('\n');
                publish("disk-full", report.toString());

                assertThat(full.keySet()).as("while the disk is full")
                        .anyMatch(outcome -> outcome.endsWith("452 4.3.1")); // a 250 still fits in a last page
                assertThat(after).as("once space is back").containsKey("end of data 250 2.0.0");
                assertThat(delivery.lost(acknowledged)).as("acknowledged but never delivered").isEmpty();
            } finally {
                Files.deleteIfExists(filler);
            }
        }
    }

    private Map<String, Long> load(AtomicInteger sequence, Set<String> acknowledged, int port, String phase,
            Duration length) throws InterruptedException {
        LoadSenders senders = LoadSenders.start(clients, "127.0.0.1", port, "full.test", phase, sequence,
                acknowledged);
        Thread.sleep(length.toMillis());
        senders.close();
        return senders.outcomes();
    }

    /** Writes the filler until the file system says it is full; returns its size. */
    private static long fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("space")) {
                throw full;
            }
        }
        return written;
    }

    private Path writeConfig(Path dataDir, int smtpPort, Dnsmasq dns, int mxPort) throws IOException {
        Path config = work.resolve("herald.toml");
        Files.writeString(config, """
                hostname = "herald.test"
                data_dir = "%s"
                [smtp]
                listen = ["127.0.0.1:%d"]
                [admin]
                listen = "127.0.0.1:0"
                [dns]
                servers = ["%s"]
                [domains.default]
                direct_attempts = 1000
                relay_attempts = 0
                delay_after_failure = "1s"
                max_connections = 20
                port = %d
                """.formatted(dataDir, smtpPort, dns.server(), mxPort));
        return config;
    }

    private static void publish(String scenario, String report) throws IOException {
        System.out.print(report);
        Path dir = Path.of(System.getProperty("herald.project.dir", "."), "target", "faults");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(scenario + ".txt"), report);
    }

    private static Delivery awaitDelivered(SmtpSink mx, Set<String> acknowledged)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(DELIVERY_LIMIT);
        Delivery delivery = Delivery.of(mx);
        while (!delivery.lost(acknowledged).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            delivery = Delivery.of(mx);
        }
        Thread.sleep(1000); // copies of in-flight messages may still be on their way: count them too
        return Delivery.of(mx);
    }

    /** What reached the sink: copies per token, counting only whole messages (Message-ID and body line). */
    private record Delivery(Map<String, Integer> copiesByToken) {

        static Delivery of(SmtpSink mx) throws IOException {
            Map<String, Integer> copies = new HashMap<>();
            for (String message : mx.messages()) {
                Matcher id = MESSAGE_ID.matcher(message);
                Matcher body = BODY.matcher(message);
                if (id.find() && body.find() && id.group(1).equals(body.group(1))) {
                    copies.merge(id.group(1), 1, Integer::sum);
                }
            }
            return new Delivery(copies);
        }

        Set<String> lost(Set<String> acknowledged) {
            Set<String> lost = new java.util.TreeSet<>(acknowledged);
            lost.removeAll(copiesByToken.keySet());
            return lost;
        }

        long deliveredOf(Set<String> acknowledged) {
            return acknowledged.stream().filter(copiesByToken::containsKey).count();
        }

        long deliveredOutside(Set<String> acknowledged) {
            return copiesByToken.keySet().stream().filter(token -> !acknowledged.contains(token)).count();
        }

        int copies() {
            return copiesByToken.values().stream().mapToInt(Integer::intValue).sum();
        }

        int duplicates() {
            return copies() - copiesByToken.size();
        }
    }
}
