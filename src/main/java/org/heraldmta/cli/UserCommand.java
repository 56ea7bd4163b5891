package org.heraldmta.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.heraldmta.auth.PasswordHasher;
import org.heraldmta.auth.SenderPattern;
import org.heraldmta.auth.User;
import org.heraldmta.auth.UserFile;
import org.heraldmta.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald user add|remove|list}: manages the SMTP AUTH users file ({@code [auth] users_file}, default
 * {@code <data_dir>/users}). A running server sees changes at the next AUTH; no restart needed.
 */
@Command(name = "user", description = "Manage SMTP AUTH users.",
        subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.ListUsers.class})
final class UserCommand {

    /** Shared by the subcommands: the config option and the users file it names. */
    abstract static class UsersFileCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config = new ConfigOption();

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public Integer call() {
            Path file;
            try {
                file = config.loadWithoutSecrets().auth().usersFile();
            } catch (ConfigException e) {
                err().println("herald: " + e.getMessage());
                return 2;
            }
            try {
                return run(file, new LinkedHashMap<>(UserFile.read(file)));
            } catch (IOException e) {
                err().println("herald: " + e.getMessage());
                return 1;
            }
        }

        abstract int run(Path file, Map<String, User> users) throws IOException;
    }

    @Command(name = "add", description = {"Add a user, or set a new password and senders for an existing one.",
            "The password is read from the terminal (asked twice), or as the first line of standard input when "
                    + "that is not a terminal; never from the command line."})
    static final class Add extends UsersFileCommand {

        @Parameters(paramLabel = "NAME", description = "login name: letters, digits and . _ @ + -")
        String name;

        @Option(names = "--allow-sender", paramLabel = "SENDER",
                description = "a MAIL FROM address the user may use (alice@example.org) or a whole domain "
                        + "(@example.org); repeat for more; none: any sender")
        List<String> senders = new ArrayList<>();

        private final InputStream stdin;

        Add(InputStream stdin) {
            this.stdin = stdin;
        }

        Add() {
            this(System.in);
        }

        @Override
        int run(Path file, Map<String, User> users) throws IOException {
            if (!User.isValidName(name)) {
                err().println("herald: a user name is 1 to 128 letters, digits and . _ @ + -");
                return 2;
            }
            List<SenderPattern> patterns = new ArrayList<>();
            for (String sender : senders) {
                try {
                    patterns.add(SenderPattern.parse(sender));
                } catch (IllegalArgumentException e) {
                    err().println("herald: --allow-sender " + sender + ": " + e.getMessage()
                            + " (write alice@example.org or @example.org)");
                    return 2;
                }
            }
            byte[] password = new PasswordInput(stdin, stdin == System.in ? PasswordInput.terminal() : null)
                    .read(name);
            try {
                if (password.length == 0) {
                    err().println("herald: empty password");
                    return 2;
                }
                boolean existed = users.containsKey(name);
                users.put(name, new User(name, new PasswordHasher().hash(password), patterns));
                UserFile.write(file, users.values());
                out().println((existed ? "updated " : "added ") + name + " in " + file);
                return 0;
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        }
    }

    @Command(name = "remove", description = "Remove a user.")
    static final class Remove extends UsersFileCommand {

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(Path file, Map<String, User> users) throws IOException {
            if (users.remove(name) == null) {
                err().println("herald: no user " + name + " in " + file);
                return 1;
            }
            UserFile.write(file, users.values());
            out().println("removed " + name + " from " + file);
            return 0;
        }
    }

    @Command(name = "list", description = "List the users and the senders each may use (never the hashes).")
    static final class ListUsers extends UsersFileCommand {

        @Override
        int run(Path file, Map<String, User> users) {
            for (User user : users.values()) {
                out().println(user.allowedSenders().isEmpty() ? user.name() + "  (any sender)"
                        : user.name() + "  " + user.allowedSenders().stream().map(SenderPattern::toString)
                                .collect(Collectors.joining(" ")));
            }
            return 0;
        }
    }
}
