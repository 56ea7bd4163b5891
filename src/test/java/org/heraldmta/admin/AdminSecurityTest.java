package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.heraldmta.config.AdminSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.testkit.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token, cross-site and DNS-rebinding rules of the admin server. */
class AdminSecurityTest {

    private static final String TOKEN = "s3cret-token-for-tests";

    @TempDir
    Path dir;

    private static HttpResponse<String> send(AdminHarness herald, HttpRequest.Builder request) throws Exception {
        return herald.send(request.build());
    }

    private static HttpRequest.Builder plain(AdminHarness herald, String path) {
        return HttpRequest.newBuilder(URI.create(herald.base() + path));
    }

    /** The status line of a request written by hand, for headers the JDK client will not send (Host). */
    private static String rawStatus(AdminHarness herald, String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), herald.server.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void withATokenEveryRequestNeedsItAndAWrongOneIsRefused() throws Exception {
        try (AdminHarness herald = AdminHarness.start(dir, "token = \"" + TOKEN + "\"")) {
            HttpResponse<String> missing = send(herald, plain(herald, "/api/v1/status"));
            HttpResponse<String> wrong = send(herald, plain(herald, "/api/v1/status")
                    .header("Authorization", "Bearer not-the-token"));
            HttpResponse<String> right = send(herald, plain(herald, "/api/v1/status")
                    .header("Authorization", "Bearer " + TOKEN));

            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(AdminHarness.json(missing).path("error").asText()).contains("Authorization: Bearer");
            assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(TOKEN).doesNotContain("not-the-token");
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(send(herald, plain(herald, "/metrics")).statusCode()).isEqualTo(401);
            assertThat(send(herald, plain(herald, "/")).statusCode()).isEqualTo(401);
            assertThat(send(herald, plain(herald, "/?token=" + TOKEN)).statusCode()).isEqualTo(200);
            assertThat(send(herald, plain(herald, "/api/v1/queue/retry?all=true&token=" + TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                    .as("the token in the address is for the console's first page load, not for actions")
                    .isEqualTo(401);
        }
    }

    @Test
    void theSendingApiFollowsTheSameRules() throws Exception {
        String message = "{\"from\": \"app@sender.test\", \"to\": [\"ann@grey.test\"], \"text\": \"hi\"}";
        try (AdminHarness herald = AdminHarness.start(dir, "token = \"" + TOKEN + "\"")) {
            HttpResponse<String> withoutToken = send(herald, plain(herald, "/api/v1/messages")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(message)));
            HttpResponse<String> fromAnotherSite = send(herald, herald.request("/api/v1/messages")
                    .header("Content-Type", "application/json").header("Sec-Fetch-Site", "cross-site")
                    .POST(HttpRequest.BodyPublishers.ofString(message)));
            HttpResponse<String> accepted = send(herald, herald.request("/api/v1/messages")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(message)));

            assertThat(withoutToken.statusCode()).isEqualTo(401);
            assertThat(fromAnotherSite.statusCode()).isEqualTo(403);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(herald.queue.size()).isEqualTo(1);
        }
    }

    @Test
    void theTokenIsNeverLogged() throws Exception {
        try (LogCapture log = new LogCapture();
             AdminHarness herald = AdminHarness.start(dir, "token = \"" + TOKEN + "\"")) {
            send(herald, plain(herald, "/api/v1/status").header("Authorization", "Bearer wrong"));
            send(herald, plain(herald, "/api/v1/status").header("Authorization", "Bearer " + TOKEN));
            assertThat(log.all()).doesNotContain(TOKEN);
        }
    }

    @Test
    void withoutATokenItRefusesToStartOnAnAddressOtherThanLoopback() {
        AdminSettings open = new AdminSettings(new ListenAddress("0.0.0.0", 0), Optional.empty());
        AdminSettings blank = new AdminSettings(new ListenAddress("0.0.0.0", 0), Optional.of(" "));

        assertThatThrownBy(() -> new AdminServer(open, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[admin] token").hasMessageContaining("0.0.0.0:0");
        assertThatThrownBy(() -> new AdminServer(blank, null)).hasMessageContaining("[admin] token");
    }

    @Test
    void aChangeFromAnotherSiteIsRefusedAndOneFromTheConsoleItselfIsNot() throws Exception {
        try (AdminHarness herald = AdminHarness.start(dir)) {
            String origin = herald.base();
            HttpResponse<String> otherOrigin = send(herald, herald.request("/api/v1/queue/hold?all=true")
                    .header("Origin", "http://evil.test").POST(HttpRequest.BodyPublishers.noBody()));
            HttpResponse<String> crossSite = send(herald, herald.request("/api/v1/queue/hold?all=true")
                    .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.noBody()));
            HttpResponse<String> sameSite = send(herald, herald.request("/api/v1/queue/hold?all=true")
                    .header("Sec-Fetch-Site", "same-site").POST(HttpRequest.BodyPublishers.noBody()));
            HttpResponse<String> sameOrigin = send(herald, herald.request("/api/v1/queue/hold?all=true")
                    .header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                    .header("X-Herald-Console", "1").POST(HttpRequest.BodyPublishers.noBody()));
            HttpResponse<String> typedByHand = send(herald, herald.request("/api/v1/queue/hold?all=true")
                    .header("Sec-Fetch-Site", "none").POST(HttpRequest.BodyPublishers.noBody()));
            HttpResponse<String> crossSiteRead = send(herald, herald.request("/api/v1/status")
                    .header("Sec-Fetch-Site", "cross-site"));

            assertThat(otherOrigin.statusCode()).isEqualTo(403);
            assertThat(AdminHarness.json(otherOrigin).path("error").asText()).contains("cross-site");
            assertThat(crossSite.statusCode()).isEqualTo(403);
            assertThat(sameSite.statusCode()).isEqualTo(403);
            assertThat(sameOrigin.statusCode()).isEqualTo(200);
            assertThat(typedByHand.statusCode()).isEqualTo(200);
            assertThat(crossSiteRead.statusCode()).as("reads change nothing").isEqualTo(200);
        }
    }

    @Test
    void aHostHeaderNamingTheServerByAnotherNameIsRefused() throws Exception {
        try (AdminHarness herald = AdminHarness.start(dir)) {
            int port = herald.server.address().getPort();
            String request = "GET /api/v1/status HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n";

            assertThat(rawStatus(herald, request.formatted("rebind.evil.test:" + port))).contains(" 403");
            assertThat(rawStatus(herald, request.formatted("127.0.0.1:" + (port == 1 ? 2 : port - 1))))
                    .contains(" 403");
            assertThat(rawStatus(herald, request.formatted("127.0.0.1:" + port))).contains(" 200");
            assertThat(rawStatus(herald, request.formatted("localhost:" + port))).contains(" 200");
            assertThat(rawStatus(herald, request.formatted("[::1]:" + port))).contains(" 200");
        }
    }
}
