package org.heraldmta.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.config.HeraldConfig;

/** A configuration file and the loader Herald uses, applying a reload through {@code apply}. */
final class TestConfig implements ConfigControl {

    private final ConfigLoader loader;
    private final Path file;
    private final Consumer<HeraldConfig> apply;
    private volatile HeraldConfig current;
    private volatile String text;

    TestConfig(Path file, Consumer<HeraldConfig> apply) throws ConfigException {
        this.loader = new ConfigLoader("herald.test", file.getParent());
        this.file = file;
        this.apply = apply;
        this.current = loader.load(file);
        this.text = read();
    }

    @Override
    public HeraldConfig current() {
        return current;
    }

    @Override
    public Optional<Path> file() {
        return Optional.of(file);
    }

    @Override
    public String appliedText() {
        return text;
    }

    @Override
    public HeraldConfig check(String candidate) throws ConfigException {
        return loader.parse(file, file.toString(), candidate);
    }

    @Override
    public synchronized Reload reload() throws ConfigException {
        String candidate = read();
        HeraldConfig next = check(candidate);
        apply.accept(next);
        current = next;
        text = candidate;
        return new Reload(List.of("domains"), List.of());
    }

    private String read() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
