package org.heraldmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.heraldmta.smtp.RecipientOutcome.Bounced;
import org.heraldmta.smtp.RecipientOutcome.Delivered;
import org.heraldmta.testkit.Dnsmasq;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.junit.jupiter.api.Test;

/** Direct delivery with MX records served by a real dnsmasq, to peers on 127.0.0.2 and 127.0.0.3. */
class DnsmasqDirectDeliveryTest extends AgentFixture {

    @Test
    void aMessageFollowsRealMxRecordsToTheSecondHostWhenTheFirstIsDown() throws Exception {
        FakeSmtpPeer mx2 = remember(FakeSmtpPeer.startOn("127.0.0.3"));
        Dnsmasq dns = remember(Dnsmasq.start("mx1.example.test",
                "--mx-host=example.test,mx1.example.test,10", "--mx-host=example.test,mx2.example.test,20",
                "--host-record=mx1.example.test,127.0.0.2", "--host-record=mx2.example.test,127.0.0.3"));

        DeliveryReport report = agent(dns.resolver()).deliver(Requests.direct("example.test", mx2.port()).build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Delivered.class)
                .extracting(RecipientOutcome::host).isEqualTo("mx2.example.test");
        assertThat(mx2.messages()).hasSize(1);
        assertThat(transcriptText(report)).contains(
                "DNS MX example.test: 10 mx1.example.test, 20 mx2.example.test",
                "connecting to mx1.example.test [127.0.0.2]", "connecting to mx2.example.test [127.0.0.3]");
    }

    @Test
    void aRealNullMxBouncesWithoutConnecting() throws Exception {
        Dnsmasq dns = remember(Dnsmasq.start("probe.test", "--mx-host=nullmx.test,.,0",
                "--host-record=probe.test,127.0.0.9"));

        DeliveryReport report = agent(dns.resolver()).deliver(Requests.direct("nullmx.test", 2525)
                .to("a@nullmx.test").build());

        assertThat(report.outcomes()).singleElement().isInstanceOf(Bounced.class)
                .extracting(RecipientOutcome::step).isEqualTo(Step.DNS);
    }
}
