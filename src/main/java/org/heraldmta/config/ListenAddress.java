package org.heraldmta.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A host and port to listen on or connect to, written {@code 127.0.0.1:2525} or {@code [::1]:2525}.
 * The host is an IP literal: Herald never hands a name to the JDK's resolver.
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (!IpLiterals.isLiteral(host)) {
            throw new IllegalArgumentException("host must be an IP address such as 127.0.0.1 or [::1], not a name");
        }
    }

    /** Parses {@code host:port} / {@code [v6]:port}; {@code defaultPort} applies when no port is written. */
    public static ListenAddress parse(String text, int defaultPort) {
        String host;
        int port = defaultPort;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in " + text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']' in " + text);
                }
                port = parsePort(rest.substring(1));
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0 && text.indexOf(':') == colon) {
                host = text.substring(0, colon);
                port = parsePort(text.substring(colon + 1));
            } else {
                host = text;
            }
        }
        if (port < 0) {
            throw new IllegalArgumentException("missing port in " + text);
        }
        return new ListenAddress(host, port);
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number: " + text);
        }
    }

    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(IpLiterals.toBytes(host));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(inetAddress(), port);
    }

    public boolean isLoopback() {
        return inetAddress().isLoopbackAddress();
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
