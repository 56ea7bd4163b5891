package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.heraldmta.mail.EnhancedStatus;
import org.heraldmta.smtp.RecipientOutcome.Bounced;
import org.heraldmta.smtp.RecipientOutcome.Delivered;
import org.heraldmta.testkit.FakeDns;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.FakeSmtpPeer.Command;
import org.junit.jupiter.api.Test;

class SmtpExtensionsTest extends AgentFixture {

    private final FakeDns dns = FakeDns.fromZone("""
            example.test.      MX 10 mx1.example.test.
            mx1.example.test.  A 127.0.0.1
            """);

    @Test
    void withPipeliningMailAndEveryRcptGoOutTogetherAndDataAfterTheirReplies() throws Exception {
        FakeSmtpPeer peer = peer();
        agent(dns).deliver(Requests.direct("example.test", peer.port())
                .to("a@example.test", "b@example.test", "c@example.test").build());

        assertThat(peer.batches()).contains(List.of("MAIL FROM:<sender@herald.test> SIZE=32",
                "RCPT TO:<a@example.test>", "RCPT TO:<b@example.test>", "RCPT TO:<c@example.test>"));
        assertThat(peer.batches()).contains(List.of("DATA"));
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        FakeSmtpPeer peer = peer().withoutPipelining();
        agent(dns).deliver(Requests.direct("example.test", peer.port())
                .to("a@example.test", "b@example.test").build());

        assertThat(peer.batches()).allSatisfy(batch -> assertThat(batch).hasSize(1));
        assertThat(peer.messages()).hasSize(1);
    }

    @Test
    void aPipelinedTransactionWithAFailedMailFromIsNotUsed() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.MAIL).reply(451, "4.3.0 try again");
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .to("a@example.test", "b@example.test").build());

        assertThat(report.outcomes()).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(RecipientOutcome.Deferred.class);
            assertThat(o.step()).isEqualTo(Step.MAIL);
        });
        assertThat(peer.commands("DATA")).isEmpty();
    }

    @Test
    void aMessageLargerThanTheServersSizeLimitBouncesWithoutBeingSent() throws Exception {
        FakeSmtpPeer peer = peer().sizeLimit(1000);
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .to("a@example.test", "b@example.test").declaredSize(5000).build());

        assertThat(report.outcomes()).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Bounced.class);
            assertThat(o.status()).contains(new EnhancedStatus(5, 3, 4));
            assertThat(o.detail()).contains("5000", "1000");
        });
        assertThat(peer.commands("MAIL")).isEmpty();
    }

    @Test
    void theMessageSizeIsDeclaredInMailFrom() throws Exception {
        FakeSmtpPeer peer = peer();
        agent(dns).deliver(Requests.direct("example.test", peer.port()).content("12345").build());

        assertThat(peer.commands("MAIL")).containsExactly("MAIL FROM:<sender@herald.test> SIZE=5");
    }

    @Test
    void eightBitContentIsDeclaredWhenTheServerOffers8bitmime() throws Exception {
        FakeSmtpPeer peer = peer();
        agent(dns).deliver(Requests.direct("example.test", peer.port()).content("caf\u00e9\r\n").eightBit().build());

        assertThat(peer.commands("MAIL")).singleElement().asString().endsWith(" BODY=8BITMIME");
    }

    @Test
    void eightBitContentIsSentAsItIsWhenTheServerLacks8bitmime() throws Exception {
        FakeSmtpPeer peer = peer().withoutEightBitMime();
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .content("caf\u00e9\r\n").eightBit().build());

        assertThat(peer.commands("MAIL")).singleElement().asString().doesNotContain("BODY=");
        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(transcriptText(report)).contains("does not offer 8BITMIME");
    }

    @Test
    void aMessageNeedingSmtputf8IsSentWithTheParameter() throws Exception {
        FakeSmtpPeer peer = peer();
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .to("j\u00f6rg@example.test").needsSmtpUtf8().build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.commands("MAIL")).singleElement().asString().endsWith(" SMTPUTF8");
        assertThat(peer.commands("RCPT")).containsExactly("RCPT TO:<j\u00f6rg@example.test>");
    }

    @Test
    void aMessageNeedingSmtputf8BouncesWhenTheServerLacksIt() throws Exception {
        FakeSmtpPeer peer = peer().withoutSmtpUtf8();
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port())
                .to("j\u00f6rg@example.test").needsSmtpUtf8().build());

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(Bounced.class);
            assertThat(o.status()).contains(new EnhancedStatus(5, 6, 7));
        });
        assertThat(peer.commands("MAIL")).isEmpty();
    }

    @Test
    void aServerRefusingEhloIsGreetedWithHelo() throws Exception {
        FakeSmtpPeer peer = peer();
        peer.on(Command.EHLO).reply(502, "5.5.1 command not implemented");
        DeliveryReport report = agent(dns).deliver(Requests.direct("example.test", peer.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class);
        assertThat(peer.commands()).startsWith("EHLO herald.test", "HELO herald.test",
                "MAIL FROM:<sender@herald.test>");
    }

    @Test
    void contentIsDotStuffedWithCrlfLineEndsByteForByte() throws Exception {
        FakeSmtpPeer peer = peer();
        String content = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\nmiddle . dot\r\n.\r\nbare lf\nbare cr\r"
                + "last line without end";
        agent(dns).deliver(Requests.direct("example.test", peer.port()).content(content).build());

        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.rawText()).isEqualTo(
                "Subject: dots\r\n\r\n..leading dot\r\n...two dots\r\nmiddle . dot\r\n..\r\nbare lf\r\nbare cr\r\n"
                        + "last line without end\r\n"));
    }

    @Test
    void anEmptyMessageIsJustTheTerminatingDot() throws Exception {
        FakeSmtpPeer peer = peer();
        agent(dns).deliver(Requests.direct("example.test", peer.port()).content("").build());

        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.rawData()).isEmpty());
    }

    @Test
    void aLargeMessageArrivesIntact() throws Exception {
        FakeSmtpPeer peer = peer();
        StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; i < 50_000; i++) {
            body.append(i % 7 == 0 ? "." : "").append("line ").append(i).append("\r\n");
        }
        agent(dns).deliver(Requests.direct("example.test", peer.port()).content(body.toString()).build());

        assertThat(peer.messages()).singleElement().satisfies(m -> assertThat(m.content().getBytes(
                StandardCharsets.UTF_8)).isEqualTo(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theNullSenderIsSentAsEmptyAngleBrackets() throws Exception {
        FakeSmtpPeer peer = peer();
        agent(dns).deliver(Requests.direct("example.test", peer.port()).from("").build());

        assertThat(peer.commands("MAIL")).singleElement().asString().startsWith("MAIL FROM:<> ");
    }
}
