package org.heraldmta.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.heraldmta.admin.ConfigControl;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.config.HeraldConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration Herald runs on, and its reload: the file is read and validated by the same {@link ConfigLoader}
 * as at start; on an error nothing changes; otherwise the {@link Applier} puts the new settings in place and the
 * reload names what changed and what of it waits for a restart.
 *
 * <p>Applied while running: {@code [domains.*]}, {@code [mx.*]}, {@code [[relay]]} (the queue manager reads its
 * settings again for every decision) and {@code [tls]}. Everything else (listen addresses, data_dir, access, dns,
 * auth, the admin server, the SMTP banner's hostname, and keys this class does not know) is reported as needing
 * a restart rather than silently ignored.
 */
final class RunningConfig implements ConfigControl {

    private static final Logger LOG = LoggerFactory.getLogger(RunningConfig.class);
    private static final Set<String> APPLIED_LIVE = Set.of("domains", "mx", "relay", "tls");
    private static final TomlMapper TOML = new TomlMapper();

    /** Puts a validated configuration in place; throws when a part of it cannot be (nothing is changed then). */
    @FunctionalInterface
    interface Applier {
        void apply(HeraldConfig next, Set<String> changed) throws ConfigException;
    }

    private final ConfigLoader loader;
    private final Applier applier;
    private volatile HeraldConfig current;
    private volatile String appliedText;

    RunningConfig(ConfigLoader loader, HeraldConfig initial, Applier applier) throws IOException {
        this.loader = loader;
        this.applier = applier;
        this.current = initial;
        this.appliedText = initial.file().isPresent() ? Files.readString(initial.file().get()) : "";
    }

    @Override
    public HeraldConfig current() {
        return current;
    }

    @Override
    public Optional<Path> file() {
        return current.file();
    }

    @Override
    public String appliedText() {
        return appliedText;
    }

    @Override
    public HeraldConfig check(String text) throws ConfigException {
        Path file = file().orElseThrow(() -> new IllegalStateException("Herald runs without a configuration file"));
        return loader.parse(file, file.toString(), text);
    }

    @Override
    public synchronized Reload reload() throws ConfigException {
        Path file = file().orElseThrow(() -> new IllegalStateException("Herald runs without a configuration file"));
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        HeraldConfig next = loader.parse(file, file.toString(), text);
        Set<String> changed = changedTables(appliedText, text);
        applier.apply(next, changed);
        current = next;
        appliedText = text;
        List<String> restart = new ArrayList<>(changed.stream().filter(k -> !APPLIED_LIVE.contains(k)).toList());
        LOG.info("configuration reloaded from {}: changed {}{}", file, changed.isEmpty() ? "nothing" : changed,
                restart.isEmpty() ? "" : "; restart needed for " + restart);
        return new Reload(List.copyOf(changed), restart);
    }

    /** The top-level keys and tables whose value differs between two texts (both already valid). */
    private static Set<String> changedTables(String before, String after) throws ConfigException {
        JsonNode old = tree(before);
        JsonNode now = tree(after);
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> names = old.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        for (Iterator<String> names = now.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        keys.removeIf(key -> Objects.equals(old.get(key), now.get(key)));
        return keys;
    }

    private static JsonNode tree(String text) throws ConfigException {
        try {
            JsonNode root = TOML.readTree(text);
            return root == null ? TOML.createObjectNode() : root;
        } catch (JsonProcessingException e) {
            throw new ConfigException("not valid TOML: " + e.getOriginalMessage(), e);
        }
    }
}
