package org.heraldmta.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Checks credentials against the users file, rereading it whenever it changes (a stat per attempt), so users added
 * with {@code herald user add} can log in at once.
 *
 * <p>Every attempt computes one Argon2id hash, also for an unknown user (against a dummy hash of the same cost), so
 * response times do not tell which names exist. At most {@code concurrentHashes} hashes run at once; the others wait,
 * which bounds the memory a flood of AUTH attempts can take to {@code concurrentHashes} times the hash's memory cost.
 */
public final class UserFileAuthenticator implements Authenticator {

    private record Snapshot(Object fileKey, FileTime modified, long size, Map<String, User> users) {
    }

    private final Path file;
    private final PasswordHasher hasher;
    private final Semaphore hashing;
    private final String dummyHash;
    private Snapshot snapshot;

    public UserFileAuthenticator(Path file, PasswordHasher hasher, int concurrentHashes) {
        this.file = Objects.requireNonNull(file);
        this.hasher = Objects.requireNonNull(hasher);
        this.hashing = new Semaphore(concurrentHashes, true);
        this.dummyHash = hasher.hash(new byte[] {0});
    }

    /** The default cost, and as many hashes at once as there are cores (at least two). */
    public UserFileAuthenticator(Path file) {
        this(file, new PasswordHasher(), Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<User> authenticate(String name, byte[] password) throws IOException {
        User user = users().get(name);
        boolean valid;
        hashing.acquireUninterruptibly();
        try {
            valid = hasher.verify(password, user == null ? dummyHash : user.passwordHash()) && user != null;
        } finally {
            hashing.release();
        }
        return valid ? Optional.of(user) : Optional.empty();
    }

    /** The users as the file says now (reread only when its identity, time or size changed). */
    public synchronized Map<String, User> users() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            snapshot = null;
            return Map.of();
        }
        FileTime modified = attributes.lastModifiedTime();
        if (snapshot == null || !Objects.equals(snapshot.fileKey(), attributes.fileKey())
                || !snapshot.modified().equals(modified) || snapshot.size() != attributes.size()) {
            snapshot = new Snapshot(attributes.fileKey(), modified, attributes.size(), UserFile.read(file));
        }
        return snapshot.users();
    }
}
