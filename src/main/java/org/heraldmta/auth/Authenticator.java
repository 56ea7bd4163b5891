package org.heraldmta.auth;

import java.io.IOException;
import java.util.Optional;

/** Checks SMTP AUTH credentials. Thread safe; slow on purpose (a password hash per call). */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param name     the login name as the client sent it
     * @param password the password's bytes as the client sent them (UTF-8 for any sane client); not kept
     * @return the user when the name exists and the password is right, else empty
     * @throws IOException when the users cannot be read (the client should try again later)
     */
    Optional<User> authenticate(String name, byte[] password) throws IOException;
}
