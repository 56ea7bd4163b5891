package org.heraldmta.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code herald} command. */
@Command(name = "herald", mixinStandardHelpOptions = true, version = "Herald " + org.heraldmta.app.Herald.VERSION,
        description = "Herald, an outbound mail server.",
        subcommands = {ServeCommand.class, ConfigCommand.class, UserCommand.class, LogCommand.class,
                QueueCommand.class, StatusCommand.class, ReloadCommand.class})
public final class Main {

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code;
        if (args.length > 0 && args[0].equals("sendmail")) {
            // sendmail's options (-oi, -odi, -f...) are not picocli's: it parses its own command line.
            String user = System.getProperty("user.name", "nobody");
            code = SendmailCommand.run(java.util.List.of(args).subList(1, args.length), System.in, out, err, user);
        } else {
            code = run(out, err, args);
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(System.in, out, err, args);
    }

    /** Runs one command line with {@code in} as standard input (never a terminal) and returns its exit code. */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == UserCommand.Add.class ? type.cast(new UserCommand.Add(in)) : defaults.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new Main(), factory);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((ex, cl, parsed) -> {
            err.println("herald: " + ex.getMessage());
            return 1;
        });
        return commandLine.execute(args);
    }
}
