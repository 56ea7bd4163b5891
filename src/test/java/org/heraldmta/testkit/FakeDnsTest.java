package org.heraldmta.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.heraldmta.dns.AddressAnswer;
import org.heraldmta.dns.MxAnswer;
import org.heraldmta.mail.Domain;
import org.junit.jupiter.api.Test;

class FakeDnsTest {

    private final FakeDns dns = FakeDns.fromZone("""
            example.test.      MX 10 mx1.example.test.
            mx1.example.test.  A 127.0.0.2
            """);

    @Test
    void answersFromZoneText() {
        assertThat(dns.lookupMx(Domain.of("example.test"))).isInstanceOf(MxAnswer.MxHosts.class);
        assertThat(dns.lookupAddresses("mx1.example.test")).isInstanceOf(AddressAnswer.Addresses.class);
        assertThat(dns.lookupMx(Domain.of("other.test"))).isInstanceOf(MxAnswer.NoSuchDomain.class);
    }

    @Test
    void aNameCanBeMadeToFailAndHealed() {
        dns.lookupMx(Domain.of("example.test"));
        dns.servfail("example.test");
        assertThat(dns.lookupMx(Domain.of("example.test"))).isInstanceOf(MxAnswer.TemporaryFailure.class);

        dns.heal("example.test").timeOut("mx1.example.test");
        assertThat(dns.lookupMx(Domain.of("example.test"))).isInstanceOf(MxAnswer.MxHosts.class);
        assertThat(dns.lookupAddresses("mx1.example.test")).isInstanceOf(AddressAnswer.TemporaryFailure.class);
    }

    @Test
    void queriesAreRecorded() {
        dns.lookupAddresses("mx1.example.test");

        assertThat(dns.queries()).containsExactly("A mx1.example.test", "AAAA mx1.example.test");
    }
}
