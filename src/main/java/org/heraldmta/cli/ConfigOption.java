package org.heraldmta.cli;

import java.nio.file.Path;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.config.HeraldConfig;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by the commands; {@code HERALD_CONFIG} is the fallback, then defaults. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "configuration file (TOML); "
            + "default: $HERALD_CONFIG, else the embedded defaults")
    Path file;

    /** The loader the server uses: this machine's name, paths relative to the working directory. */
    ConfigLoader loader() {
        return new ConfigLoader(MachineName.read(), Path.of(""));
    }

    /** The configuration as the server reads it, relay passwords included. */
    HeraldConfig load() throws ConfigException {
        return load(loader());
    }

    /** For commands that only need paths and names: relay passwords are not looked up (see ConfigLoader). */
    HeraldConfig loadWithoutSecrets() throws ConfigException {
        return load(loader().withoutSecrets());
    }

    private HeraldConfig load(ConfigLoader loader) throws ConfigException {
        Path chosen = file;
        if (chosen == null && System.getenv("HERALD_CONFIG") != null && !System.getenv("HERALD_CONFIG").isBlank()) {
            chosen = Path.of(System.getenv("HERALD_CONFIG"));
        }
        return chosen == null ? loader.defaults() : loader.load(chosen);
    }
}
