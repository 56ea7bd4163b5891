package org.heraldmta.auth;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.heraldmta.mail.Address;

/**
 * One SMTP AUTH user.
 *
 * @param name           the login name: letters, digits and {@code . _ @ + -}, at most 128 characters
 * @param passwordHash   an Argon2id PHC string ({@link PasswordHasher})
 * @param allowedSenders the MAIL FROM addresses the user may use; empty means any
 */
public record User(String name, String passwordHash, List<SenderPattern> allowedSenders) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");

    public User {
        Objects.requireNonNull(name);
        Objects.requireNonNull(passwordHash);
        if (!isValidName(name)) {
            throw new IllegalArgumentException("a user name is 1 to 128 letters, digits and . _ @ + -");
        }
        if (!PasswordHasher.isValidHash(passwordHash)) {
            throw new IllegalArgumentException("not an Argon2id password hash");
        }
        allowedSenders = List.copyOf(allowedSenders);
    }

    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /** May this user send with this MAIL FROM address? The null sender counts as not theirs when restricted. */
    public boolean maySendAs(Address sender) {
        return allowedSenders.isEmpty() || allowedSenders.stream().anyMatch(pattern -> pattern.matches(sender));
    }

    /** Leaves out the hash: a User may end up in a log line. */
    @Override
    public String toString() {
        return "User[" + name + (allowedSenders.isEmpty() ? "" : ", senders " + allowedSenders) + "]";
    }
}
