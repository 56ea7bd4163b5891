package org.heraldmta.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The throw-away Postfix of the test kit, driven by swaks and checked through its Maildir or an smtp-sink. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostfixInstanceTest {

    private static final String SWAKS = "/usr/bin/swaks";

    @TempDir
    Path work;

    @Test
    void receivingServerOffersStartTlsAndDeliversToItsMaildir() throws Exception {
        RealPeers.requireTool(SWAKS);
        try (PostfixInstance postfix = PostfixInstance.receiving(work.resolve("mx"), "127.0.0.61", 0, "mx.dest.test",
                List.of("dest.test"))) {
            Swaks swaks = swaks(postfix.server(), "b@dest.test", "--tls", "--header", "Subject: over tls");

            assertThat(swaks.exitCode()).as(swaks.output() + postfix.maillog()).isZero();
            assertThat(swaks.output()).contains("250-STARTTLS", "TLS started with cipher");
            List<String> delivered = postfix.awaitDelivered(1, Duration.ofSeconds(10));
            assertThat(delivered).hasSize(1);
            assertThat(delivered.getFirst())
                    .contains("Delivered-To: b@dest.test", "Return-Path: <a@sender.test>", "Subject: over tls")
                    .contains("with ESMTPS");
            assertThat(Files.readString(postfix.certificate())).startsWith("-----BEGIN CERTIFICATE-----");
        }
    }

    @Test
    void receivingServerRefusesMailForOtherDomainsLikeARealMxHost() throws Exception {
        RealPeers.requireTool(SWAKS);
        try (PostfixInstance postfix = PostfixInstance.receiving(work, "127.0.0.62", 0, "mx.dest.test",
                List.of("dest.test"))) {
            Swaks swaks = swaks(postfix.server(), "b@elsewhere.test");

            assertThat(swaks.exitCode()).isNotZero();
            assertThat(swaks.output()).contains("554 5.7.1", "Relay access denied");
            assertThat(postfix.deliveredMessages()).isEmpty();
        }
    }

    @Test
    void relayHandsEverythingToTheSink() throws Exception {
        RealPeers.requireTool(SWAKS);
        try (SmtpSink sink = SmtpSink.start(work, "127.0.0.1", 0);
                PostfixInstance postfix = PostfixInstance.relayingTo(work.resolve("relay"), "127.0.0.63", 0,
                        "relay.bench.test", sink.ip(), sink.port())) {
            Swaks swaks = swaks(postfix.server(), "b@dest.test", "--header", "Subject: relayed");

            assertThat(swaks.exitCode()).as(swaks.output()).isZero();
            assertThat(swaks.output()).doesNotContain("STARTTLS");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sink.messageCount() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(25);
            }
            assertThat(sink.messages()).as(postfix.maillog()).hasSize(1);
            assertThat(sink.messages().getFirst()).contains("Subject: relayed", "by relay.bench.test (Postfix)");
            assertThat(postfix.maillog()).contains("relay=127.0.0.1[127.0.0.1]:" + sink.port(), "status=sent");
        }
    }

    @Test
    void stopLeavesNoPostfixProcessAndNoFilesBehind() throws Exception {
        PostfixInstance postfix = PostfixInstance.relayingTo(work, "127.0.0.64", 0, "relay.bench.test", "127.0.0.1", 9);
        long master = Long.parseLong(Files.readString(work.resolve("queue/pid/master.pid")).trim());
        List<ProcessHandle> daemons = ProcessHandle.of(master).orElseThrow().descendants().toList();
        assertThat(postfix.isRunning()).isTrue();
        assertThat(daemons).isNotEmpty();

        postfix.stop();

        assertThat(postfix.isRunning()).isFalse();
        assertThat(ProcessHandle.of(master).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(daemons).noneMatch(ProcessHandle::isAlive);
        try (var left = Files.list(work)) {
            assertThat(left.toList()).isEmpty();
        }
        postfix.stop(); // a second stop does nothing
    }

    @Test
    void aFailedStartShowsWhatPostfixSaidOnItsTerminal() {
        RealPeers.requireTool("/usr/sbin/postfix");
        // Postfix refuses an inet_interfaces address that no interface carries, and says so only on a terminal.
        assertThatThrownBy(() -> PostfixInstance.relayingTo(work, "127.0.0.65", 0, "relay.bench.test", "127.0.0.1", 9,
                Map.of("inet_interfaces", "127.0.0.65")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("start failed")
                .hasMessageContaining("no local interface found for 127.0.0.65");
        assertThat(work.resolve("queue/pid/master.pid")).doesNotExist();
    }

    private record Swaks(int exitCode, String output) {
    }

    private Swaks swaks(String server, String recipient, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SWAKS, "--server", server, "--helo", "client.test", "--from",
                "a@sender.test", "--to", recipient, "--timeout", "10"));
        command.addAll(List.of(options));
        Path output = Files.createTempFile(work, "swaks-", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("swaks did not finish: " + Files.readString(output));
        }
        return new Swaks(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
    }
}
