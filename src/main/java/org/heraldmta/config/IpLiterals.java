package org.heraldmta.config;

import java.net.InetAddress;
import org.xbill.DNS.Address;

/** Parses IPv4 and IPv6 literals without any name lookup (the JDK's resolver must never see a host name). */
public final class IpLiterals {

    private IpLiterals() {
    }

    public static boolean isLiteral(String text) {
        return text != null && (Address.isDottedQuad(text) || Address.toByteArray(text, Address.IPv6) != null);
    }

    public static byte[] toBytes(String text) {
        byte[] v4 = Address.toByteArray(text, Address.IPv4);
        if (v4 != null) {
            return v4;
        }
        byte[] v6 = Address.toByteArray(text, Address.IPv6);
        if (v6 == null) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        return v6;
    }

    public static InetAddress parse(String text) {
        try {
            return InetAddress.getByAddress(toBytes(text));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
