package org.heraldmta.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One server address to try: the host name it came from (MX or relay name, or the literal), the address, the port,
 * the TLS policy and the AUTH credentials (relays only).
 */
record Target(String host, InetAddress ip, int port, TlsPolicy tls, Optional<Credentials> credentials) {

    /** AUTH user and password; {@link #toString()} never shows the password. */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return username + ":****";
        }
    }

    String ipText() {
        return ip.getHostAddress();
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(ip, port);
    }

    Target withTls(TlsPolicy policy) {
        return new Target(host, ip, port, policy, credentials);
    }

    /** As in the transcript: {@code mx1.example.test [127.0.0.2]:25}. */
    String describe() {
        return host + " [" + ipText() + "]:" + port;
    }
}
