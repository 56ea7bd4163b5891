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

    /** The loader every command uses: this machine's name, paths relative to the working directory. */
    ConfigLoader loader() {
        return new ConfigLoader(MachineName.read(), Path.of(""));
    }

    HeraldConfig load() throws ConfigException {
        ConfigLoader loader = loader();
        Path chosen = file;
        if (chosen == null && System.getenv("HERALD_CONFIG") != null && !System.getenv("HERALD_CONFIG").isBlank()) {
            chosen = Path.of(System.getenv("HERALD_CONFIG"));
        }
        return chosen == null ? loader.defaults() : loader.load(chosen);
    }
}
