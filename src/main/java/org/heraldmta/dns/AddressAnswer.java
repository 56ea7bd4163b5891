package org.heraldmta.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/** What the DNS says about a host name's IPv4 and IPv6 addresses. */
public sealed interface AddressAnswer {

    String host();

    /** One line for the delivery log, such as {@code A/AAAA mx1.example.test: 127.0.0.2, ::1}. */
    String describe();

    /** The host's addresses: IPv4 (A) first, then IPv6 (AAAA), each built from the record bytes. */
    record Addresses(String host, List<InetAddress> addresses) implements AddressAnswer {
        public Addresses {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("Addresses needs at least one address (use NoSuchHost)");
            }
        }

        @Override
        public String describe() {
            return "A/AAAA " + host + ": "
                    + addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        }
    }

    /** The name does not exist, or has neither A nor AAAA records. */
    record NoSuchHost(String host) implements AddressAnswer {
        @Override
        public String describe() {
            return "A/AAAA " + host + ": no such host";
        }
    }

    /** No usable answer now (SERVFAIL, time-out, garbage): ask again later. */
    record TemporaryFailure(String host, String reason) implements AddressAnswer {
        @Override
        public String describe() {
            return "A/AAAA " + host + ": temporary failure: " + reason;
        }
    }
}
