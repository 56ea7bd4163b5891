package org.heraldmta.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The users file: one user per line, {@code name:hash} or {@code name:hash:sender,sender}, where a sender is
 * {@code alice@example.org} or {@code @example.org}. Lines starting with {@code #} and blank lines are ignored.
 *
 * <pre>
 * # Herald SMTP AUTH users (managed by herald user add|remove|list)
 * alice:$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$...:alice@example.org,@shop.example.org
 * </pre>
 */
public final class UserFile {

    private static final String HEADER = "# Herald SMTP AUTH users (managed by herald user add|remove|list)\n"
            + "# name:argon2id-hash[:allowed-sender,...]  where a sender is a@example.org or @example.org\n";

    private UserFile() {
    }

    /** The users by name, in file order; no file means no users. */
    public static Map<String, User> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        return parse(file.toString(), lines);
    }

    static Map<String, User> parse(String name, List<String> lines) throws IOException {
        Map<String, User> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // Never quote the line in the error: it holds a password hash.
            String where = name + ":" + (i + 1) + ": ";
            String[] fields = line.split(":", -1);
            if (fields.length < 2 || fields.length > 3) {
                throw new IOException(where + "expected name:hash or name:hash:senders");
            }
            List<SenderPattern> senders = new ArrayList<>();
            if (fields.length == 3 && !fields[2].isBlank()) {
                for (String sender : fields[2].split(",")) {
                    try {
                        senders.add(SenderPattern.parse(sender.strip()));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(where + "bad sender \"" + sender.strip() + "\": " + e.getMessage());
                    }
                }
            }
            User user;
            try {
                user = new User(fields[0], fields[1], senders);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + e.getMessage());
            }
            if (users.putIfAbsent(user.name(), user) != null) {
                throw new IOException(where + "user " + user.name() + " appears twice");
            }
        }
        return users;
    }

    static String format(Collection<User> users) {
        StringBuilder text = new StringBuilder(HEADER);
        for (User user : users) {
            text.append(user.name()).append(':').append(user.passwordHash());
            if (!user.allowedSenders().isEmpty()) {
                text.append(':').append(user.allowedSenders().stream().map(SenderPattern::toString)
                        .collect(Collectors.joining(",")));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * Replaces the file with these users: written to a temporary file readable by its owner only, forced to disk,
     * then renamed over the old one, so a reader sees the old or the new file, never half of one.
     */
    public static void write(Path file, Collection<User> users) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + absolute.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        createOwnerOnly(temp);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
             OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
            out.write(format(users).getBytes(StandardCharsets.UTF_8));
            out.flush();
            channel.force(true);
        }
        try {
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException ignored) {
            // not every system can fsync a directory; the rename itself is atomic
        }
    }

    private static void createOwnerOnly(Path temp) throws IOException {
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another herald user command is writing " + temp + "; try again", e);
        }
    }
}
