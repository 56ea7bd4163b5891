package org.heraldmta.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * SMTP AUTH ({@code [auth]}).
 *
 * @param usersFile the users and their password hashes, managed by {@code herald user}; default
 *                  {@code <data_dir>/users} (absolute)
 */
public record AuthSettings(Path usersFile) {

    public AuthSettings {
        Objects.requireNonNull(usersFile);
    }
}
