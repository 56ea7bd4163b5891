package org.heraldmta.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.heraldmta.config.DnsSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.mail.Domain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsJavaResolverTest {

    private static final String ZONE = """
            $TTL 300
            example.test.       MX 20 mx2.example.test.
            example.test.       MX 10 mx1.example.test.
            example.test.       MX 5  mx0.example.test.
            mx0.example.test.   A 127.0.0.10
            mx1.example.test.   A 127.0.0.2
            mx1.example.test.   AAAA ::1
            mx2.example.test.   60 A 127.0.0.3
            equal.test.         MX 10 a.equal.test.
            equal.test.         MX 10 b.equal.test.
            equal.test.         MX 10 c.equal.test.
            plain.test.         A 127.0.0.4
            nullmx.test.        MX 0 .
            alias.test.         CNAME example.test.
            bare.test.          TXT "no address here"
            test.               SOA ns.test. admin.test. 1 3600 600 86400 120
            """;

    private final MutableClock clock = new MutableClock();
    private TinyDnsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DnsJavaResolver resolver(String zone) throws Exception {
        return resolver(zone, new Random(7));
    }

    private DnsJavaResolver resolver(String zone, Random random) throws Exception {
        server = new TinyDnsServer(zone);
        DnsSettings settings = new DnsSettings(List.of(new ListenAddress("127.0.0.1", server.port())),
                Duration.ofMillis(300));
        return new DnsJavaResolver(settings, clock, random);
    }

    @Test
    void mxHostsComeInPreferenceOrder() throws Exception {
        MxAnswer answer = resolver(ZONE).lookupMx(Domain.of("example.test"));

        assertThat(answer).isInstanceOf(MxAnswer.MxHosts.class);
        assertThat(((MxAnswer.MxHosts) answer).hosts()).containsExactly(
                new MxHost("mx0.example.test", 5), new MxHost("mx1.example.test", 10),
                new MxHost("mx2.example.test", 20));
        assertThat(answer.describe())
                .isEqualTo("MX example.test: 5 mx0.example.test, 10 mx1.example.test, 20 mx2.example.test");
    }

    @Test
    void hostsOfEqualPreferenceAreShuffledOnEveryLookup() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        Set<String> firstHosts = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            MxAnswer.MxHosts hosts = (MxAnswer.MxHosts) resolver.lookupMx(Domain.of("equal.test"));
            assertThat(hosts.hosts()).extracting(MxHost::name)
                    .containsExactlyInAnyOrder("a.equal.test", "b.equal.test", "c.equal.test");
            firstHosts.add(hosts.hosts().get(0).name());
        }
        assertThat(firstHosts).hasSize(3);
        assertThat(server.queries()).hasSize(1); // shuffled from the cache, not asked again
    }

    @Test
    void aDomainWithoutMxRecordsIsItsOwnMailHost() throws Exception {
        MxAnswer answer = resolver(ZONE).lookupMx(Domain.of("plain.test"));

        assertThat(answer).isEqualTo(new MxAnswer.ImplicitMx(Domain.of("plain.test")));
        assertThat(((MxAnswer.ImplicitMx) answer).host()).isEqualTo(new MxHost("plain.test", 0));
    }

    @Test
    void nullMxSaysTheDomainTakesNoMail() throws Exception {
        MxAnswer answer = resolver(ZONE).lookupMx(Domain.of("nullmx.test"));

        assertThat(answer).isEqualTo(new MxAnswer.NullMx(Domain.of("nullmx.test")));
        assertThat(answer.describe()).contains("null MX");
    }

    @Test
    void nxdomainIsNoSuchDomain() throws Exception {
        assertThat(resolver(ZONE).lookupMx(Domain.of("missing.test")))
                .isEqualTo(new MxAnswer.NoSuchDomain(Domain.of("missing.test")));
    }

    @Test
    void servfailIsTemporary() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        server.servfail("example.test");

        MxAnswer answer = resolver.lookupMx(Domain.of("example.test"));

        assertThat(answer).isInstanceOf(MxAnswer.TemporaryFailure.class);
        assertThat(answer.describe()).contains("SERVFAIL");
    }

    @Test
    void aSilentServerIsATemporaryFailureAfterTheTimeout() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        server.silent("example.test");
        long start = System.nanoTime();

        MxAnswer answer = resolver.lookupMx(Domain.of("example.test"));

        assertThat(answer).isInstanceOf(MxAnswer.TemporaryFailure.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aMalformedResponseIsTemporary() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        server.garbage("example.test");

        assertThat(resolver.lookupMx(Domain.of("example.test"))).isInstanceOf(MxAnswer.TemporaryFailure.class);
    }

    @Test
    void aTruncatedAnswerThatCannotBeFetchedOverTcpIsTemporary() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        server.truncated("example.test");
        long start = System.nanoTime();

        MxAnswer answer = resolver.lookupMx(Domain.of("example.test"));

        assertThat(answer).isInstanceOf(MxAnswer.TemporaryFailure.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anOversizedAnswerOfThreeHundredMxHostsIsReadWholeOrFailsTemporarilyNeverThrows() throws Exception {
        StringBuilder zone = new StringBuilder("$TTL 300\n");
        for (int i = 0; i < 300; i++) {
            zone.append("big.test. MX ").append(i % 7).append(" mx").append(i)
                    .append(".a-rather-long-label-to-make-the-answer-bigger.big.test.\n");
        }
        DnsJavaResolver resolver = resolver(zone.toString());

        MxAnswer answer = resolver.lookupMx(Domain.of("big.test"));

        assertThat(answer).isInstanceOfAny(MxAnswer.MxHosts.class, MxAnswer.TemporaryFailure.class);
        if (answer instanceof MxAnswer.MxHosts hosts) {
            assertThat(hosts.hosts()).hasSize(300);
            assertThat(hosts.hosts()).extracting(MxHost::preference).isSorted();
        }
    }

    @Test
    void anAnswerToAnotherQuestionIsNotBelieved() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        server.wrongQuestion("plain.test");

        assertThat(resolver.lookupAddresses("plain.test")).isInstanceOf(AddressAnswer.TemporaryFailure.class);
    }

    @Test
    void addressesComeFromAThenAaaaRecords() throws Exception {
        AddressAnswer answer = resolver(ZONE).lookupAddresses("mx1.example.test");

        assertThat(answer).isEqualTo(new AddressAnswer.Addresses("mx1.example.test",
                List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}),
                        InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))));
        assertThat(answer.describe()).isEqualTo("A/AAAA mx1.example.test: 127.0.0.2, 0:0:0:0:0:0:0:1");
    }

    @Test
    void aNameWithoutAddressesIsNoSuchHost() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);

        assertThat(resolver.lookupAddresses("bare.test")).isEqualTo(new AddressAnswer.NoSuchHost("bare.test"));
        assertThat(resolver.lookupAddresses("nothing.test")).isEqualTo(new AddressAnswer.NoSuchHost("nothing.test"));
    }

    @Test
    void anUnansweredAddressLookupIsTemporary() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        server.servfail("mx1.example.test");

        assertThat(resolver.lookupAddresses("mx1.example.test")).isInstanceOf(AddressAnswer.TemporaryFailure.class);
    }

    @Test
    void anIpLiteralIsItsOwnAnswerWithoutAQuery() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);

        assertThat(resolver.lookupAddresses("127.0.0.9")).isEqualTo(new AddressAnswer.Addresses("127.0.0.9",
                List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 9}))));
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void aCnameIsFollowed() throws Exception {
        MxAnswer answer = resolver(ZONE).lookupMx(Domain.of("alias.test"));

        assertThat(answer).isInstanceOf(MxAnswer.MxHosts.class);
        assertThat(((MxAnswer.MxHosts) answer).hosts()).hasSize(3);
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);

        resolver.lookupAddresses("mx2.example.test");
        clock.advance(Duration.ofSeconds(59));
        resolver.lookupAddresses("mx2.example.test");
        assertThat(server.queries()).containsExactly("A mx2.example.test", "AAAA mx2.example.test");

        clock.advance(Duration.ofSeconds(1)); // the A record's TTL is 60 s
        resolver.lookupAddresses("mx2.example.test");
        assertThat(server.queries()).containsExactly("A mx2.example.test", "AAAA mx2.example.test",
                "A mx2.example.test");
    }

    @Test
    void negativeAnswersAreCachedForTheSoaMinimum() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        resolver.lookupMx(Domain.of("missing.test"));
        clock.advance(Duration.ofSeconds(119));
        resolver.lookupMx(Domain.of("missing.test"));
        assertThat(server.queries()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        resolver.lookupMx(Domain.of("missing.test"));
        assertThat(server.queries()).hasSize(2);
    }

    @Test
    void temporaryFailuresAreNotCached() throws Exception {
        DnsJavaResolver resolver = resolver(ZONE);
        server.servfail("example.test");
        resolver.lookupMx(Domain.of("example.test"));
        resolver.lookupMx(Domain.of("example.test"));

        assertThat(server.queries()).containsExactly("MX example.test", "MX example.test");
    }

    /** A clock the test moves by hand. */
    static final class MutableClock implements InstantSource {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
