package org.heraldmta.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.heraldmta.config.DnsSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.mail.Domain;
import org.heraldmta.testkit.RealPeers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link DnsJavaResolver} against a real dnsmasq serving a {@code .test} zone on 127.0.0.1. */
class DnsmasqResolverTest {

    private static final String DNSMASQ = "/usr/sbin/dnsmasq";
    private static Process dnsmasq;
    private static int port;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        RealPeers.requireTool(DNSMASQ);
        for (int tries = 0; tries < 5 && dnsmasq == null; tries++) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback(), 0))) {
                port = probe.getLocalPort();
            }
            Process started = new ProcessBuilder(DNSMASQ, "--keep-in-foreground", "--no-resolv", "--no-hosts",
                    "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + port, "--local=/test/",
                    "--pid-file=", "--conf-file=/dev/null",
                    "--mx-host=example.test,mx1.example.test,10", "--mx-host=example.test,mx2.example.test,20",
                    "--host-record=mx1.example.test,127.0.0.2", "--host-record=mx2.example.test,127.0.0.3,::1",
                    "--mx-host=nullmx.test,.,0", "--host-record=plain.test,127.0.0.4")
                    .redirectErrorStream(true)
                    .redirectOutput(File.createTempFile("dnsmasq", ".log"))
                    .start();
            if (answers(started)) {
                dnsmasq = started;
            } else {
                started.destroy();
                started.waitFor(5, TimeUnit.SECONDS);
            }
        }
        assertThat(dnsmasq).as("dnsmasq started on 127.0.0.1").isNotNull();
    }

    private static boolean answers(Process process) throws Exception {
        DnsJavaResolver probe = resolver();
        for (int i = 0; i < 50 && process.isAlive(); i++) {
            if (probe.lookupAddresses("mx1.example.test") instanceof AddressAnswer.Addresses) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @AfterAll
    static void stopDnsmasq() throws InterruptedException {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static InetAddress loopback() throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    }

    private static DnsJavaResolver resolver() {
        DnsSettings settings = new DnsSettings(List.of(new ListenAddress("127.0.0.1", port)), Duration.ofMillis(500));
        return new DnsJavaResolver(settings, InstantSource.system(), new Random(1));
    }

    @Test
    void mxHostsOfARealZoneComeInPreferenceOrder() {
        MxAnswer answer = resolver().lookupMx(Domain.of("example.test"));

        assertThat(answer).isEqualTo(new MxAnswer.MxHosts(Domain.of("example.test"),
                List.of(new MxHost("mx1.example.test", 10), new MxHost("mx2.example.test", 20))));
    }

    @Test
    void nullMxOfARealZone() {
        assertThat(resolver().lookupMx(Domain.of("nullmx.test"))).isInstanceOf(MxAnswer.NullMx.class);
    }

    @Test
    void nxdomainOfARealZone() {
        assertThat(resolver().lookupMx(Domain.of("missing.test"))).isInstanceOf(MxAnswer.NoSuchDomain.class);
    }

    @Test
    void implicitMxOfARealZone() {
        assertThat(resolver().lookupMx(Domain.of("plain.test"))).isInstanceOf(MxAnswer.ImplicitMx.class);
    }

    @Test
    void ipv4AndIpv6AddressesOfARealZone() throws Exception {
        assertThat(resolver().lookupAddresses("mx2.example.test")).isEqualTo(new AddressAnswer.Addresses(
                "mx2.example.test", List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 3}),
                        InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))));
    }
}
