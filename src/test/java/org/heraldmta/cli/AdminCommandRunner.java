package org.heraldmta.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code herald} commands through {@link Main#run} with a config file whose {@code [admin]} names a server. */
final class AdminCommandRunner {

    /** What one command printed and returned. */
    record Run(int code, String out, String err) {
    }

    private final Path config;

    private AdminCommandRunner(Path config) {
        this.config = config;
    }

    /** A runner whose config says the admin API listens on {@code listen} with {@code token} (or none). */
    static AdminCommandRunner forServer(Path dir, String listen, String token) throws IOException {
        String admin = "[admin]\nlisten = \"" + listen + "\"\n" + (token == null ? "" : "token = \"" + token + "\"\n");
        return new AdminCommandRunner(Files.writeString(dir.resolve("cli.toml"),
                "hostname = \"cli.herald.test\"\ndata_dir = \"" + dir.resolve("data") + "\"\n" + admin));
    }

    Run herald(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
