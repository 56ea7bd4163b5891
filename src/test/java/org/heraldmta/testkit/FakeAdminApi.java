package org.heraldmta.testkit;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the admin API of docs/API.md on a loopback port: answers chosen per path with contract-shaped
 * JSON and records every request, so that clients (the command line) can be tested without a running Herald.
 * Paths under /api without an answer get 404 {@code {"error": "no such path"}}; other paths serve the console's
 * files from the class path, as the real server does.
 */
public final class FakeAdminApi implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String method, String path, Map<String, List<String>> query, String authorization,
                          String heraldConsole) {
    }

    private record Answer(int status, Function<Context, String> json) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Javalin server;

    private FakeAdminApi() {
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.staticFiles.add("/org/heraldmta/admin/console", Location.CLASSPATH);
            config.routes.get("/api/*", this::answer);
            config.routes.post("/api/*", this::answer);
            config.routes.put("/api/*", this::answer);
        });
    }

    public static FakeAdminApi start() {
        FakeAdminApi api = new FakeAdminApi();
        api.server.start("127.0.0.1", 0);
        return api;
    }

    /** {@code method path} (e.g. {@code "GET /api/v1/status"}) answers {@code status} with {@code json}. */
    public FakeAdminApi answer(String methodAndPath, int status, String json) {
        answers.put(methodAndPath, new Answer(status, ctx -> json));
        return this;
    }

    /** {@code method path} answers 200 with what {@code json} makes of the request (e.g. of its query). */
    public FakeAdminApi answer(String methodAndPath, Function<Context, String> json) {
        answers.put(methodAndPath, new Answer(200, json));
        return this;
    }

    public FakeAdminApi answer(String methodAndPath, String json) {
        return answer(methodAndPath, 200, json);
    }

    private void answer(Context ctx) {
        requests.add(new Request(ctx.method().name(), ctx.path(), Map.copyOf(ctx.queryParamMap()),
                ctx.header("Authorization"), ctx.header("X-Herald-Console")));
        Answer answer = answers.getOrDefault(ctx.method().name() + " " + ctx.path(),
                new Answer(404, c -> "{\"error\": \"no such path: " + c.path() + "\"}"));
        ctx.status(answer.status()).contentType("application/json").result(answer.json().apply(ctx));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
