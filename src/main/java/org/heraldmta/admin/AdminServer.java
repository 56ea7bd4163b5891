package org.heraldmta.admin;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.heraldmta.config.AdminSettings;
import org.heraldmta.config.IpLiterals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin API, the console's assets and {@code /metrics} on {@code [admin] listen} (Javalin 7 on Jetty 12,
 * a virtual thread per request). Every request passes the {@link RequestGuard} first. The server holds no state:
 * each answer is read from the services it was given.
 */
public final class AdminServer implements AutoCloseable {

    /** Where the console's files are on the classpath. */
    public static final String CONSOLE = "/org/heraldmta/admin/console";

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final AdminSettings settings;
    private final AdminServices services;
    private final RequestGuard guard;
    private Javalin server;

    /**
     * @throws IllegalArgumentException when the address is not loopback and no token is configured
     */
    public AdminServer(AdminSettings settings, AdminServices services) {
        Optional<String> token = settings.token().filter(t -> !t.isBlank());
        if (!settings.listen().isLoopback() && token.isEmpty()) {
            throw new IllegalArgumentException("[admin] listen = \"" + settings.listen() + "\" is not a loopback "
                    + "address, so [admin] token is required (every request must then carry Authorization: Bearer "
                    + "TOKEN); set [admin] token or listen on 127.0.0.1");
        }
        this.settings = settings;
        this.services = services;
        this.guard = new RequestGuard(settings.listen().host(), token);
    }

    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("the admin server was already started");
        }
        server = Javalin.create(this::configure);
        server.start();
        guard.boundTo(server.port());
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.concurrency.useVirtualThreads = true;
        config.jetty.host = settings.listen().host();
        config.jetty.port = settings.listen().port();
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = CONSOLE;
            files.location = Location.CLASSPATH;
        });
        config.routes.before(guard::check);
        new StatusHandler(services).register(config.routes);
        new QueueHandler(services.queue()).register(config.routes);
        new MessageHandler(services).register(config.routes);
        new ActionHandler(services.queue()).register(config.routes);
        new DomainsHandler(services.queue(), services.config()).register(config.routes);
        new RulesHandler(services.config()).register(config.routes);
        new EventsHandler(services).register(config.routes);
        new TimelineHandler(services).register(config.routes);
        new MetricsHandler(services.activity().metrics()).register(config.routes);
        services.sending().ifPresent(sending -> sending.register(config.routes));
        config.routes.exception(ApiException.class, (e, ctx) ->
                Json.send(ctx, e.status(), Json.object("error", e.getMessage())));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("admin API: {} {} failed", ctx.method(), ctx.path(), e);
            Json.send(ctx, 500, Json.object("error", "internal error: " + e));
        });
    }

    /** The address the server is bound to (port 0 in the configuration becomes the real port). */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("the admin server is not started");
        }
        return new InetSocketAddress(IpLiterals.parse(settings.listen().host()), server.port());
    }

    /** {@code http://host:port}, as a person would type it. */
    public String url() {
        return "http://" + StatusHandler.address(address());
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            services.activity().tail().endAll();
            server.stop();
        }
    }
}
