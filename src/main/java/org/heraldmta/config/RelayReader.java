package org.heraldmta.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one {@code [[relay]]} table. The AUTH password comes from exactly one of {@code password} (in the file),
 * {@code password_env} (the name of an environment variable) or {@code password_file} (a file holding only the
 * password), so that the configuration file itself can be shared or kept in version control without the secret.
 * Errors name the key, never the secret.
 */
final class RelayReader {

    private static final String KEYS = "host, port, tls, username, password, password_env, password_file";

    private final Function<String, String> environment;
    private final Path base;
    private final boolean readSecrets;

    /**
     * @param environment looks up an environment variable (null when unset); {@code System::getenv} in the server
     * @param base        the directory relative {@code password_file} paths start from (the config file's)
     * @param readSecrets false: check the keys but look nothing up, and leave the password out
     */
    RelayReader(Function<String, String> environment, Path base, boolean readSecrets) {
        this.environment = environment;
        this.base = base;
        this.readSecrets = readSecrets;
    }

    RelayServer read(TomlTable t) throws ConfigException {
        String host = t.string("host", null);
        if (host == null || host.isBlank()) {
            throw t.error("host", "is required: the relay server's name or IP address");
        }
        RelayTls tls = t.parsed("tls", RelayTls.STARTTLS, s -> RelayTls.valueOf(s.toUpperCase(Locale.ROOT)),
                "one of \"none\", \"starttls\", \"implicit\"");
        int port = t.integer("port", tls == RelayTls.IMPLICIT ? 465 : 587, 1, 65535);
        Optional<String> username = t.optionalString("username");
        Optional<String> password = password(t);
        if (!readSecrets) {
            t.rejectUnknownKeys(KEYS);
            return new RelayServer(host, port, tls, username, Optional.empty());
        }
        if (username.isPresent() != password.isPresent()) {
            throw t.error(username.isPresent() ? "password" : "username",
                    "username and password go together (the password as password, password_env or password_file)");
        }
        t.rejectUnknownKeys(KEYS);
        return new RelayServer(host, port, tls, username, password);
    }

    private Optional<String> password(TomlTable t) throws ConfigException {
        Optional<String> inline = t.optionalString("password");
        Optional<String> variable = t.optionalString("password_env");
        Optional<String> file = t.optionalString("password_file");
        int given = (inline.isPresent() ? 1 : 0) + (variable.isPresent() ? 1 : 0) + (file.isPresent() ? 1 : 0);
        if (given > 1) {
            throw t.error(inline.isPresent() ? "password" : "password_env",
                    "give the password only one way: password, password_env or password_file");
        }
        if (!readSecrets) {
            return Optional.empty();
        }
        if (variable.isPresent()) {
            return Optional.of(fromEnvironment(t, variable.get()));
        }
        if (file.isPresent()) {
            return Optional.of(fromFile(t, file.get()));
        }
        return inline;
    }

    private String fromEnvironment(TomlTable t, String name) throws ConfigException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw t.error("password_env", "must be the name of an environment variable such as \"RELAY_PASSWORD\", got \""
                    + name + "\"");
        }
        String value = environment.apply(name);
        if (value == null) {
            throw t.error("password_env", "the environment variable " + name + " is not set");
        }
        if (value.isEmpty()) {
            throw t.error("password_env", "the environment variable " + name + " is empty");
        }
        return value;
    }

    private String fromFile(TomlTable t, String name) throws ConfigException {
        Path path = base.resolve(name).normalize();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw t.error("password_file", "no such file: " + path);
        } catch (IOException e) {
            throw t.error("password_file", "cannot read " + path + ": " + e.getMessage());
        }
        // "echo secret > file" leaves a line end that is not part of the password.
        String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (password.isEmpty()) {
            throw t.error("password_file", path + " is empty");
        }
        if (password.contains("\n") || password.contains("\r")) {
            throw t.error("password_file", path + " must hold only the password, on one line");
        }
        return password;
    }
}
