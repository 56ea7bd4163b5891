package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.heraldmta.testkit.Dnsmasq;
import org.heraldmta.testkit.HeraldProcess;
import org.heraldmta.testkit.SmtpSink;
import org.heraldmta.testkit.Submitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Nothing accepted is ever lost": a Herald process is killed with SIGKILL while clients are sending, restarted,
 * and every message that got a 250 reaches the recipient's MX host intact.
 */
class CrashRecoveryTest {

    private static final int SENDERS = 8;

    @TempDir
    Path work;

    @Test
    void everyAcknowledgedMessageIsDeliveredAfterSigkillAndRestart() throws Exception {
        int mxPort = SmtpSink.freePort("127.0.0.41");
        int smtpPort = SmtpSink.freePort("127.0.0.1");
        try (Dnsmasq dns = Dnsmasq.start("mx.crash.test", "--mx-host=crash.test,mx.crash.test,10",
                "--host-record=mx.crash.test,127.0.0.41")) {
            Path config = work.resolve("herald.toml");
            Files.writeString(config, """
                    hostname = "herald.test"
                    data_dir = "var"
                    [smtp]
                    listen = ["127.0.0.1:%d"]
                    [admin]
                    listen = "127.0.0.1:0"
                    [dns]
                    servers = ["%s"]
                    [domains.default]
                    direct_attempts = 100
                    relay_attempts = 0
                    delay_after_failure = "1s"
                    port = %d
                    """.formatted(smtpPort, dns.server(), mxPort));

            // The MX host is down while the first process runs, so accepted mail stays in its spool.
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            try (HeraldProcess first = HeraldProcess.start(config, smtpPort, work.resolve("first.log"))) {
                sendUntilKilled(first, smtpPort, acknowledged);
            }
            assertThat(acknowledged).hasSizeGreaterThan(20);

            try (HeraldProcess second = HeraldProcess.start(config, smtpPort, work.resolve("second.log"));
                 SmtpSink mx = SmtpSink.start(work, "127.0.0.41", mxPort)) {
                Set<String> arrived = awaitArrived(mx, acknowledged, Duration.ofSeconds(60));
                assertThat(acknowledged).allSatisfy(token -> assertThat(arrived).contains(token));
                assertThat(second.output()).contains("message(s) recovered");
            }
        }
    }

    private static void sendUntilKilled(HeraldProcess herald, int smtpPort, Set<String> acknowledged)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sequence = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(60);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < SENDERS; s++) {
                senders.submit(() -> {
                    while (!stop.get()) {
                        String token = "token-crash-" + sequence.incrementAndGet();
                        try {
                            Submitter.submit("127.0.0.1", smtpPort, "someone@sender.test",
                                    List.of("friend" + (sequence.get() % 3) + "@crash.test"), token);
                            acknowledged.add(token);
                            enough.countDown();
                        } catch (IOException | AssertionError cutOff) {
                            // the server died mid-dialogue: this message was never acknowledged
                        }
                    }
                    return null;
                });
            }
            enough.await(30, TimeUnit.SECONDS);
            herald.kill();
            stop.set(true);
        }
    }

    private static Set<String> awaitArrived(SmtpSink mx, Set<String> expected, Duration limit)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        Set<String> arrived = Set.of();
        while (Instant.now().isBefore(deadline)) {
            // the token in the body line proves the whole message arrived, not only its headers
            arrived = mx.messages().stream().flatMap(m -> m.lines())
                    .filter(line -> line.startsWith("body token-crash-"))
                    .map(line -> line.substring("body ".length()).trim())
                    .collect(Collectors.toSet());
            if (arrived.containsAll(expected)) {
                break;
            }
            Thread.sleep(200);
        }
        return arrived;
    }
}
