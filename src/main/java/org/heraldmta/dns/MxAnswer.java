package org.heraldmta.dns;

import java.util.List;
import java.util.stream.Collectors;
import org.heraldmta.mail.Domain;

/** What the DNS says about where a domain's mail goes. */
public sealed interface MxAnswer {

    Domain domain();

    /** One line for the delivery log, such as {@code MX example.test: 10 mx1.example.test, 20 mx2.example.test}. */
    String describe();

    /** The domain's MX hosts, lowest preference first, hosts of equal preference in random order. */
    record MxHosts(Domain domain, List<MxHost> hosts) implements MxAnswer {
        public MxHosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("MxHosts needs at least one host (use ImplicitMx)");
            }
        }

        @Override
        public String describe() {
            return "MX " + domain + ": " + hosts.stream().map(MxHost::toString).collect(Collectors.joining(", "));
        }
    }

    /** The domain has no MX records: RFC 5321 §5.1 says to use the domain's own address records. */
    record ImplicitMx(Domain domain) implements MxAnswer {
        /** The domain itself as its only mail host. */
        public MxHost host() {
            return new MxHost(domain.name(), 0);
        }

        @Override
        public String describe() {
            return "MX " + domain + ": none, using the domain's own address records (implicit MX)";
        }
    }

    /** The domain publishes {@code MX 0 .}: it accepts no mail at all (RFC 7505). */
    record NullMx(Domain domain) implements MxAnswer {
        @Override
        public String describe() {
            return "MX " + domain + ": null MX (0 .), the domain accepts no mail";
        }
    }

    /** The domain does not exist (NXDOMAIN). */
    record NoSuchDomain(Domain domain) implements MxAnswer {
        @Override
        public String describe() {
            return "MX " + domain + ": no such domain (NXDOMAIN)";
        }
    }

    /** No usable answer now (SERVFAIL, time-out, garbage): ask again later. */
    record TemporaryFailure(Domain domain, String reason) implements MxAnswer {
        @Override
        public String describe() {
            return "MX " + domain + ": temporary failure: " + reason;
        }
    }
}
