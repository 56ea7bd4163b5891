package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.smtp.RecipientOutcome.Deferred;
import org.heraldmta.testkit.FakeDns;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.FakeSmtpPeer.Command;
import org.junit.jupiter.api.Test;

/** Remote servers that misbehave: every case ends cleanly, with the reason in the transcript. */
class HostileServerTest extends AgentFixture {

    private final FakeDns dns = FakeDns.fromZone("""
            example.test.      MX 10 mx1.example.test.
            mx1.example.test.  A 127.0.0.1
            """);

    private DeliveryReport deliverTo(FakeSmtpPeer peer, SmtpClientTimeouts timeouts) {
        return agent(dns, SmtpClientSettings.DEFAULTS.withTimeouts(timeouts))
                .deliver(Requests.direct("example.test", peer.port()).build());
    }

    @Test
    void anEndlessMultiLineReplyIsCutOffAfterAHundredLines() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.CONNECT).replyRaw("220-more\r\n".repeat(500) + "220 done\r\n");
        DeliveryReport report = deliverTo(peer, SmtpClientTimeouts.all(SHORT));

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.GREETING);
            assertThat(o.detail()).contains("more than 100 lines");
        });
        assertThat(report.transcript().stream().filter(l -> l.text().equals("220-more"))).hasSize(100);
    }

    @Test
    void aHugeReplyLineIsRefused() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.EHLO).replyRaw("250 " + "x".repeat(100_000) + "\r\n");
        DeliveryReport report = deliverTo(peer, SmtpClientTimeouts.all(SHORT));

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.step()).isEqualTo(Step.EHLO);
            assertThat(o.detail()).contains("longer than 4096 bytes");
        });
    }

    @Test
    void garbageInsteadOfAGreetingIsAProtocolFailure() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.CONNECT).replyRaw("HTTP/1.1 400 Bad Request\r\n");
        DeliveryReport report = deliverTo(peer, SmtpClientTimeouts.all(SHORT));

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.detail()).contains("not a valid SMTP reply");
        });
        assertThat(transcriptText(report)).contains("RECEIVED HTTP/1.1 400 Bad Request");
    }

    @Test
    void aMultiLineReplyThatChangesCodeIsAProtocolFailure() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.EHLO).replyRaw("250-fine\r\n550 not fine\r\n");
        DeliveryReport report = deliverTo(peer, SmtpClientTimeouts.all(SHORT));

        assertThat(report.outcomes()).singleElement().extracting(RecipientOutcome::detail).asString()
                .contains("different codes");
    }

    @Test
    void aReplyLineThatNeverEndsTimesOut() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.CONNECT).replyRaw("220 this line never ends");
        DeliveryReport report = deliverTo(peer, SmtpClientTimeouts.all(Duration.ofMillis(300)));

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.step()).isEqualTo(Step.GREETING);
            assertThat(o.detail()).contains("timed out");
        });
    }

    @Test
    void controlCharactersFromTheServerCannotForgeTranscriptLines() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.CONNECT).replyRaw("220 hi\u001b[2Jthere\rSENT fake\r\n");
        DeliveryReport report = deliverTo(peer, SmtpClientTimeouts.all(SHORT));

        assertThat(transcriptText(report)).contains("RECEIVED 220 hi\\x1b[2Jthere\\x0dSENT fake\n");
    }

    /**
     * Found by ReplyReaderFuzzTest: a bare CR kept in a reply would become a line end in the bounce's
     * Diagnostic-Code (outbound dot-stuffing turns it into CRLF), letting the server add fields of its own there.
     */
    @Test
    void controlCharactersInAReplyNeverReachTheOutcomeAndSoNeverTheBounce() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.RCPT).replyRaw("550-5.1.1 no such user\rAction: delivered\r\n550 5.1.1 \u0000really\r\n");
        DeliveryReport report = deliverTo(peer, SmtpClientTimeouts.all(SHORT));

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(RecipientOutcome.Bounced.class);
            assertThat(o.reply()).hasValueSatisfying(reply -> {
                assertThat(reply.lines()).containsExactly("no such user\\x0dAction: delivered", "\\x00really");
                assertThat(reply.toString()).doesNotContain("\r", "\0");
            });
        });
    }

    @Test
    void aServerThatStopsReadingDuringDataIsGivenUpAfterTheBlockTimeout() throws Exception {
        FakeSmtpPeer peer = peer().sizeLimit(0);
        peer.on(Command.DATA).replyThenFreeze(354, "go on"); // reads nothing more: the client's writes block
        SmtpClientTimeouts timeouts = new SmtpClientTimeouts(SHORT, SHORT, SHORT, SHORT, SHORT, SHORT,
                Duration.ofMillis(500), SHORT);
        long size = 64L * 1024 * 1024; // far more than any socket buffer
        DeliveryRequest request = new DeliveryRequest(Requests.ID, 1,
                new Route.Direct(Domain.of("example.test"), peer.port(), false), Address.parse("s@herald.test"),
                java.util.List.of(Address.parse("a@example.test")), () -> new EndlessContent(size), size, false,
                false, "herald.test");
        long start = System.nanoTime();
        DeliveryReport report = remember(new SmtpDeliveryAgent(dns, SmtpClientSettings.DEFAULTS
                .withTimeouts(timeouts), clock)).deliver(request);

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Deferred.class);
            assertThat(o.step()).isEqualTo(Step.DATA);
            assertThat(o.detail()).contains("to accept our data");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /** Lines of text, generated as read, up to a size. */
    private static final class EndlessContent extends InputStream {
        private final long size;
        private long position;

        EndlessContent(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return position++ % 78 == 77 ? '\n' : 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) read();
            }
            return n;
        }
    }
}
