package org.heraldmta.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.heraldmta.mail.Domain;
import org.heraldmta.testkit.Dnsmasq;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link DnsJavaResolver} against a real dnsmasq serving a {@code .test} zone on 127.0.0.1. */
class DnsmasqResolverTest {

    private static Dnsmasq dnsmasq;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        dnsmasq = Dnsmasq.start("mx1.example.test",
                "--mx-host=example.test,mx1.example.test,10", "--mx-host=example.test,mx2.example.test,20",
                "--host-record=mx1.example.test,127.0.0.2", "--host-record=mx2.example.test,127.0.0.3,::1",
                "--mx-host=nullmx.test,.,0", "--host-record=plain.test,127.0.0.4");
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    @Test
    void mxHostsOfARealZoneComeInPreferenceOrder() {
        MxAnswer answer = dnsmasq.resolver().lookupMx(Domain.of("example.test"));

        assertThat(answer).isEqualTo(new MxAnswer.MxHosts(Domain.of("example.test"),
                List.of(new MxHost("mx1.example.test", 10), new MxHost("mx2.example.test", 20))));
    }

    @Test
    void nullMxOfARealZone() {
        assertThat(dnsmasq.resolver().lookupMx(Domain.of("nullmx.test"))).isInstanceOf(MxAnswer.NullMx.class);
    }

    @Test
    void nxdomainOfARealZone() {
        assertThat(dnsmasq.resolver().lookupMx(Domain.of("missing.test"))).isInstanceOf(MxAnswer.NoSuchDomain.class);
    }

    @Test
    void implicitMxOfARealZone() {
        assertThat(dnsmasq.resolver().lookupMx(Domain.of("plain.test"))).isInstanceOf(MxAnswer.ImplicitMx.class);
    }

    @Test
    void ipv4AndIpv6AddressesOfARealZone() throws Exception {
        assertThat(dnsmasq.resolver().lookupAddresses("mx2.example.test")).isEqualTo(new AddressAnswer.Addresses(
                "mx2.example.test", List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 3}),
                        InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))));
    }
}
