package org.heraldmta.admin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.HeraldConfig;

/** The running configuration as the admin API sees it: read it, check a new text, reload it from its file. */
public interface ConfigControl {

    /** The settings in use now. */
    HeraldConfig current();

    /** The configuration file, when Herald was started from one. */
    Optional<Path> file();

    /** The configuration file's text as last applied (at start or reload); empty without a file. */
    String appliedText();

    /** Validates {@code text} exactly as a start from {@link #file()} would; the running settings do not change. */
    HeraldConfig check(String text) throws ConfigException;

    /**
     * Reads the file again and applies what can be applied while running. On an invalid file nothing changes.
     *
     * @throws ConfigException with the loader's message when the file is invalid
     * @throws IllegalStateException when there is no file
     */
    Reload reload() throws ConfigException;

    /**
     * What a reload did.
     *
     * @param changed       top-level keys or tables whose value differs from before
     * @param restartNeeded those of them that only take effect at the next start
     */
    record Reload(List<String> changed, List<String> restartNeeded) {
        public Reload {
            changed = List.copyOf(changed);
            restartNeeded = List.copyOf(restartNeeded);
        }
    }
}
