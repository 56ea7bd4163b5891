package org.heraldmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.heraldmta.config.AdminSettings;
import org.heraldmta.config.ListenAddress;

/**
 * Talks to the running server's admin API at {@code [admin] listen}, always by IP literal (a wildcard listen
 * address is reached over loopback), with {@code [admin] token} as bearer token. Every failure becomes an
 * {@link AdminApiException} whose message is one line a person can act on.
 */
final class AdminClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final ListenAddress server;
    private final Optional<String> token;

    AdminClient(AdminSettings settings) throws AdminApiException {
        this.server = reachable(settings.listen());
        this.token = settings.token().filter(t -> !t.isBlank());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The address the server answers on: a wildcard listen address is reached over the loopback of its family. */
    private static ListenAddress reachable(ListenAddress listen) throws AdminApiException {
        if (listen.port() == 0) {
            throw AdminApiException.unreachable("[admin] listen has port 0, so the command line cannot know where the "
                    + "server listens: set a fixed port");
        }
        if (listen.inetAddress().isAnyLocalAddress()) {
            return new ListenAddress(listen.host().contains(":") ? "::1" : "127.0.0.1", listen.port());
        }
        return listen;
    }

    ListenAddress server() {
        return server;
    }

    AdminReply get(String pathAndQuery) throws AdminApiException {
        return send(request(pathAndQuery).GET());
    }

    AdminReply post(String pathAndQuery) throws AdminApiException {
        return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + server + pathAndQuery))
                .timeout(TIMEOUT).header("Accept", "application/json");
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    private AdminReply send(HttpRequest.Builder builder) throws AdminApiException {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw AdminApiException.unreachable("the server is not running at " + server + " (connection refused)");
        } catch (HttpTimeoutException e) {
            throw new AdminApiException("the server at " + server + " did not answer within "
                    + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new AdminApiException("cannot talk to the server at " + server + " (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminApiException("interrupted while waiting for the server at " + server);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 400) {
            String why = json != null && json.hasNonNull("error") ? json.get("error").asText()
                    : firstLine(response.body());
            throw new AdminApiException("the server at " + server + " answered " + response.statusCode()
                    + (why.isEmpty() ? "" : ": " + why));
        }
        if (json == null) {
            throw new AdminApiException("the server at " + server + " answered " + request.uri().getPath()
                    + " with something that is not JSON: " + firstLine(response.body()));
        }
        return new AdminReply(response.body(), json);
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String firstLine(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** One successful answer: the body as sent (for {@code --json}) and parsed. */
    record AdminReply(String body, JsonNode json) {
    }
}
