package org.heraldmta.admin;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.heraldmta.config.IpLiterals;

/**
 * Runs before every request: the DNS-rebinding rule (the Host header must name the server by an address, or
 * {@code localhost}), the cross-site rule for requests that change state ({@code Sec-Fetch-Site} and
 * {@code Origin}), and, when a token is configured, the bearer token.
 *
 * <p>The token is compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same time
 * wherever the first difference is and whatever the length of the guess. It is never logged or echoed.
 */
final class RequestGuard {

    private static final Set<HandlerType> CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.DELETE,
            HandlerType.PATCH);
    private static final Set<String> SAME_SITE_FETCHES = Set.of("same-origin", "none");

    private final String listenHost;
    private final InetAddress listenAddress;
    private final Optional<byte[]> tokenDigest;
    private volatile int port;

    /**
     * @param listenHost the configured listen address literal (without brackets)
     * @param token      the configured token, if any
     */
    RequestGuard(String listenHost, Optional<String> token) {
        this.listenHost = listenHost;
        this.listenAddress = IpLiterals.parse(listenHost);
        this.tokenDigest = token.map(RequestGuard::digest);
    }

    /** The port the server is bound to, once known (port 0 in the configuration becomes a real one). */
    void boundTo(int boundPort) {
        this.port = boundPort;
    }

    void check(Context ctx) {
        checkHost(ctx.header("Host"));
        if (CHANGING.contains(ctx.method())) {
            checkSameSite(ctx);
        }
        if (tokenDigest.isPresent()) {
            checkToken(ctx);
        }
    }

    private void checkHost(String host) {
        if (host == null || !allowedHost(host)) {
            throw new ApiException(403, "Host header not allowed: use http://" + displayHost() + ":" + port
                    + "/ (requests naming the server by another name are refused against DNS rebinding)");
        }
    }

    private boolean allowedHost(String header) {
        String value = header.strip().toLowerCase(Locale.ROOT);
        String name;
        int headerPort;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = value.substring(1, close);
            headerPort = portOf(value.substring(close + 1));
        } else {
            int colon = value.lastIndexOf(':');
            if (colon >= 0 && value.indexOf(':') != colon) {
                return false; // an IPv6 literal must be bracketed
            }
            name = colon < 0 ? value : value.substring(0, colon);
            headerPort = colon < 0 ? 80 : portOf(value.substring(colon));
        }
        if (headerPort != port) {
            return false;
        }
        if (name.equals("localhost")) {
            return true;
        }
        if (!IpLiterals.isLiteral(name)) {
            return false;
        }
        InetAddress address = IpLiterals.parse(name);
        // Behind a wildcard address any address of the machine is the server; a name never is.
        return listenAddress.isAnyLocalAddress() || address.equals(listenAddress) || address.isLoopbackAddress();
    }

    /** ":8025" → 8025; "" → 80; anything else → -1. */
    private static int portOf(String rest) {
        if (rest.isEmpty()) {
            return 80;
        }
        if (!rest.startsWith(":") || rest.length() > 6 || !rest.substring(1).chars().allMatch(Character::isDigit)
                || rest.length() == 1) {
            return -1;
        }
        return Integer.parseInt(rest.substring(1));
    }

    private String displayHost() {
        return listenHost.contains(":") ? "[" + listenHost + "]" : listenHost;
    }

    private static void checkSameSite(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !SAME_SITE_FETCHES.contains(fetchSite.strip().toLowerCase(Locale.ROOT))) {
            throw new ApiException(403, "cross-site request refused (Sec-Fetch-Site: " + fetchSite.strip() + ")");
        }
        String origin = ctx.header("Origin");
        if (origin != null) {
            String expected = ctx.scheme() + "://" + ctx.header("Host");
            if (!origin.strip().equalsIgnoreCase(expected)) {
                throw new ApiException(403, "cross-site request refused (Origin " + origin.strip()
                        + " is not " + expected + ")");
            }
        }
    }

    private void checkToken(Context ctx) {
        String presented = null;
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).strip();
        } else if (ctx.method() == HandlerType.GET && ctx.queryParam("token") != null) {
            // the console's first page load carries it in the address; its script then sends the header
            presented = ctx.queryParam("token");
        }
        if (presented == null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"herald\"");
            throw new ApiException(401, "this server needs Authorization: Bearer TOKEN ([admin] token)");
        }
        if (!MessageDigest.isEqual(digest(presented), tokenDigest.orElseThrow())) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"herald\", error=\"invalid_token\"");
            throw new ApiException(401, "wrong token");
        }
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
