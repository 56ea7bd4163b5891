package org.heraldmta.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heraldmta.config.ConfigException;

/**
 * {@code GET /api/v1/rules}, {@code PUT /api/v1/rules} and {@code POST /api/v1/reload}. New rules are checked by
 * the same loader as at start, against the whole resulting file, before anything is written; the file is then
 * replaced atomically and reloaded. Edits are one at a time.
 */
final class RulesHandler {

    private final ConfigControl config;

    RulesHandler(ConfigControl config) {
        this.config = config;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/rules", this::show);
        routes.put("/api/v1/rules", this::replace);
        routes.post("/api/v1/reload", this::reload);
    }

    private void show(Context ctx) throws JsonProcessingException {
        Json.ok(ctx, RulesDocument.rules(config.appliedText()));
    }

    private synchronized void replace(Context ctx) throws IOException {
        Path file = config.file().orElseThrow(() -> ApiException.conflict(
                "Herald runs on the embedded defaults, without a configuration file to write the rules to"));
        JsonNode rules;
        try {
            rules = Json.MAPPER.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw ApiException.badParameter("body", "not JSON: " + e.getOriginalMessage());
        }
        String text = Files.readString(file);
        String edited;
        try {
            edited = RulesDocument.replaceRules(text, rules);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(400, file + ": not valid TOML now: " + e.getOriginalMessage());
        }
        try {
            config.check(edited);
        } catch (ConfigException e) {
            throw new ApiException(400, e.getMessage());
        }
        AtomicFile.replace(file, edited);
        Json.ok(ctx, reloaded());
    }

    private synchronized void reload(Context ctx) {
        if (config.file().isEmpty()) {
            throw ApiException.conflict("Herald runs on the embedded defaults: there is no configuration file to read");
        }
        Json.ok(ctx, reloaded());
    }

    private Object reloaded() {
        try {
            ConfigControl.Reload reload = config.reload();
            return Json.object("ok", true, "changed", reload.changed(), "restart_needed", reload.restartNeeded());
        } catch (ConfigException e) {
            throw new ApiException(400, e.getMessage());
        }
    }
}
