package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.heraldmta.log.AttemptTranscript;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventReader;
import org.heraldmta.log.TranscriptStore;
import org.heraldmta.mail.QueueId;
import org.heraldmta.testkit.Dnsmasq;
import org.heraldmta.testkit.PostfixInstance;
import org.heraldmta.testkit.RealPeers;
import org.heraldmta.testkit.SmtpSink;
import org.heraldmta.testkit.Submitter;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Herald as a whole, started in-process on a configuration file, against peers nobody here wrote: swaks submits,
 * dnsmasq serves the {@code .test} zone with MX hosts on loopback addresses, Postfix's smtp-sink and a real Postfix
 * receive.
 */
class EndToEndDeliveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static Dnsmasq dns;

    @TempDir
    Path work;

    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void startDns() throws Exception {
        dns = Dnsmasq.start("mx.direct.test",
                "--mx-host=direct.test,mx.direct.test,10", "--host-record=mx.direct.test,127.0.0.21",
                "--mx-host=dead.test,mx.dead.test,10", "--host-record=mx.dead.test,127.0.0.31",
                "--mx-host=grey.test,mx.grey.test,10", "--host-record=mx.grey.test,127.0.0.23",
                "--mx-host=sender.test,mx.sender.test,10", "--host-record=mx.sender.test,127.0.0.24",
                "--mx-host=reject.test,mx.reject.test,10", "--host-record=mx.reject.test,127.0.0.25",
                "--mx-host=pf.test,mx.pf.test,10", "--host-record=mx.pf.test,127.0.0.26",
                "--mx-host=nullmx.test,.,0");
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable each : started.reversed()) {
            each.close();
        }
    }

    @Test
    void aMessageFromSwaksIsDeliveredToTheMxHostDnsmasqNames() throws Exception {
        SmtpSink mx = remember(SmtpSink.start(work, "127.0.0.21", 0));
        Herald herald = start("""
                [domains."direct.test"]
                port = %d
                """.formatted(mx.port()));

        Path swaks = RealPeers.requireTool("/usr/bin/swaks");
        Process process = new ProcessBuilder(swaks.toString(), "--server", "127.0.0.1:" + smtpPort(herald),
                "--helo", "client.test", "--from", "someone@sender.test", "--to", "friend@direct.test",
                "--body", "token-swaks-1").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("250 2.0.0 Ok: queued as ");
        QueueId id = QueueId.parse(output.replaceAll("(?s).*queued as (\\S+).*", "$1"));

        assertThat(await(() -> mx.messages().stream().anyMatch(m -> m.contains("token-swaks-1")))).isTrue();
        List<Event> events = await(() -> eventsNamed(id, "delivered"), list -> !list.isEmpty());
        assertThat(events.get(0).fields()).containsEntry("mode", "direct").containsEntry("ip", "127.0.0.21")
                .containsEntry("recipient", "friend@direct.test").containsEntry("code", 250);
        assertThat(eventsNamed(id, "received").get(0).fields()).containsEntry("sender", "someone@sender.test")
                .containsEntry("client_ip", "127.0.0.1");
        List<AttemptTranscript> transcripts = new TranscriptStore(work.resolve("var/log")).read(id);
        assertThat(transcripts).hasSize(1);
        assertThat(transcripts.get(0).lines()).extracting(AttemptTranscript.Line::text)
                .anyMatch(text -> text.startsWith("MAIL FROM:<someone@sender.test>"))
                .anyMatch(text -> text.startsWith("250"));
    }

    @Test
    void afterTheDirectAttemptsFailTheRelayDeliversTheMessage() throws Exception {
        SmtpSink relay = remember(SmtpSink.start(work, "127.0.0.22", 0));
        int closedPort = SmtpSink.freePort("127.0.0.31");
        Herald herald = start("""
                [[relay]]
                host = "127.0.0.22"
                port = %d
                tls = "none"

                [domains."dead.test"]
                port = %d
                direct_attempts = 2
                relay_attempts = 1
                delay_after_failure = "1s"
                """.formatted(relay.port(), closedPort));

        QueueId id = QueueId.parse(Submitter.submit("127.0.0.1", smtpPort(herald), "someone@sender.test",
                List.of("friend@dead.test"), "token-relay-1"));

        assertThat(await(() -> relay.messages().stream().anyMatch(m -> m.contains("token-relay-1")))).isTrue();
        List<Event> delivered = await(() -> eventsNamed(id, "delivered"), list -> !list.isEmpty());
        assertThat(delivered.get(0).fields()).containsEntry("mode", "relay").containsEntry("attempt", 3);
        assertThat(eventsNamed(id, "deferred")).hasSize(2).allSatisfy(event -> assertThat(event.fields())
                .containsEntry("mode", "direct").containsEntry("step", "connect"));

        String history = await(() -> heraldLog(id), text -> text.contains("Attempt 3, relay"));
        assertThat(history).contains("received from <someone@sender.test> [127.0.0.1]", "Attempt 1, direct",
                "Attempt 2, direct", "=> deferred friend@dead.test: direct, step connect",
                "=> delivered friend@dead.test: relay, step data at 127.0.0.22");
        assertThat(history.indexOf("Attempt 1,")).isLessThan(history.indexOf("Attempt 2,"));
    }

    @Test
    void aGreylistedRecipientIsRetriedAfterTheDelayAndDelivered() throws Exception {
        SmtpSink greylisting = SmtpSink.start(work, "127.0.0.23", 0, "-r", "rcpt");
        int port = greylisting.port();
        Herald herald = start("""
                [domains."grey.test"]
                port = %d
                direct_attempts = 3
                relay_attempts = 0
                delay_after_failure = "2s"
                """.formatted(port));

        QueueId id = QueueId.parse(Submitter.submit("127.0.0.1", smtpPort(herald), "someone@sender.test",
                List.of("friend@grey.test"), "token-grey-1"));
        List<Event> deferred = await(() -> eventsNamed(id, "deferred"), list -> !list.isEmpty());
        assertThat(deferred.get(0).fields()).containsEntry("step", "rcpt");
        assertThat((int) deferred.get(0).fields().get("code")).isBetween(400, 499);
        greylisting.close();
        SmtpSink accepting = remember(SmtpSink.start(work, "127.0.0.23", port));

        assertThat(await(() -> accepting.messages().stream().anyMatch(m -> m.contains("token-grey-1")))).isTrue();
        List<Event> delivered = await(() -> eventsNamed(id, "delivered"), list -> !list.isEmpty());
        assertThat(delivered.get(0).fields()).containsEntry("attempt", 2);
    }

    @Test
    void aRejectedRecipientBouncesToTheSendersMxWithADeliveryStatusNotification() throws Exception {
        SmtpSink senderMx = remember(SmtpSink.start(work, "127.0.0.24", 0));
        SmtpSink rejecting = remember(SmtpSink.start(work, "127.0.0.25", 0, "-f", "rcpt", "-B",
                "550 5.1.1 no such user"));
        Herald herald = start("""
                [domains."sender.test"]
                port = %d
                [domains."reject.test"]
                port = %d
                """.formatted(senderMx.port(), rejecting.port()));

        QueueId id = QueueId.parse(Submitter.submit("127.0.0.1", smtpPort(herald), "someone@sender.test",
                List.of("nobody@reject.test"), "token-bounce-1"));

        String dsn = await(() -> senderMx.messages().stream().filter(m -> m.contains("token-bounce-1"))
                .findFirst().orElse(null), m -> m != null);
        assertThat(dsn).contains("multipart/report", "report-type=delivery-status", "Action: failed",
                "Status: 5.1.1", "Final-Recipient: rfc822; nobody@reject.test", "550 5.1.1 no such user",
                "Subject: token-bounce-1");
        assertThat(await(() -> eventsNamed(id, "bounced"), list -> !list.isEmpty()).get(0).fields())
                .containsEntry("step", "rcpt")
                .containsEntry("code", 550).containsEntry("enhanced", "5.1.1");
    }

    @Test
    void aNullMxBouncesAtOnceWithoutAConnection() throws Exception {
        SmtpSink senderMx = remember(SmtpSink.start(work, "127.0.0.24", 0));
        Herald herald = start("""
                [domains."sender.test"]
                port = %d
                """.formatted(senderMx.port()));

        QueueId id = QueueId.parse(Submitter.submit("127.0.0.1", smtpPort(herald), "someone@sender.test",
                List.of("friend@nullmx.test"), "token-nullmx-1"));

        List<Event> bounced = await(() -> eventsNamed(id, "bounced"), list -> !list.isEmpty());
        assertThat(bounced.get(0).fields()).containsEntry("step", "dns").containsEntry("host", "")
                .containsEntry("enhanced", "5.1.10");
        assertThat((String) bounced.get(0).fields().get("reply")).contains("5.1.10");
        String dsn = await(() -> senderMx.messages().stream().filter(m -> m.contains("token-nullmx-1"))
                .findFirst().orElse(null), m -> m != null);
        assertThat(dsn).contains("Status: 5.1.10", "token-nullmx-1");
    }

    @Test
    void aRealPostfixReceivesTheMessageOverStartTls() throws Exception {
        PostfixInstance postfix = remember(PostfixInstance.receiving(work.resolve("postfix"), "127.0.0.26", 0,
                "mx.pf.test", List.of("pf.test")));
        Herald herald = start("""
                [domains."pf.test"]
                port = %d
                """.formatted(postfix.port()));

        QueueId id = QueueId.parse(Submitter.submit("127.0.0.1", smtpPort(herald), "someone@sender.test",
                List.of("friend@pf.test"), "token-postfix-1"));

        List<String> delivered = postfix.awaitDelivered(1, PATIENCE);
        assertThat(delivered.get(0)).contains("token-postfix-1").contains("Received: from herald.test");
        List<AttemptTranscript> transcripts = await(() -> new TranscriptStore(work.resolve("var/log")).read(id),
                list -> !list.isEmpty());
        assertThat(transcripts.get(0).lines()).extracting(AttemptTranscript.Line::text)
                .anyMatch(text -> text.startsWith("TLS TLSv1."));
    }

    private Herald start(String domainRules) throws Exception {
        Herald herald = TestHeraldConfig.resolvingAt(dns.server()).start(work, """
                [domains.default]
                direct_attempts = 1
                relay_attempts = 0
                delay_after_failure = "1s"

                """ + domainRules);
        started.add(herald);
        return herald;
    }

    /** What {@code herald log ID --config FILE} prints, as an operator would run it beside the server. */
    private String heraldLog(QueueId id) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.heraldmta.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "log", "--config", TestHeraldConfig.fileIn(work).toString(), id.value());
        return code == 0 ? out.toString() : "exit " + code + ": " + err;
    }

    private <T extends AutoCloseable> T remember(T peer) {
        started.add(peer);
        return peer;
    }

    private static int smtpPort(Herald herald) {
        return herald.smtpAddresses().get(0).getPort();
    }

    private List<Event> eventsNamed(QueueId id, String name) throws IOException {
        return new EventReader(work.resolve("var/log")).forQueueId(id).stream()
                .filter(event -> event.event().equals(name)).toList();
    }

    private static boolean await(Callable<Boolean> condition) throws Exception {
        return await(condition, Boolean.TRUE::equals);
    }

    /**
     * Polls {@code value} until {@code done} holds for it, for at most {@link #PATIENCE}, and returns it. smtp-sink
     * writes a message while it arrives: wait for something near its end, not its start.
     */
    private static <T> T await(Callable<T> value, java.util.function.Predicate<T> done) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        T last = value.call();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            last = value.call();
        }
        return last;
    }
}
