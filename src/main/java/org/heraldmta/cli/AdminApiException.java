package org.heraldmta.cli;

/** The admin API could not be reached or refused a request; the message is one line for a person. */
final class AdminApiException extends Exception {

    private final boolean serverUnreachable;

    AdminApiException(String message) {
        this(message, false);
    }

    private AdminApiException(String message, boolean serverUnreachable) {
        super(message);
        this.serverUnreachable = serverUnreachable;
    }

    /** Nothing answers where the configuration says the server listens (or it names no fixed port). */
    static AdminApiException unreachable(String message) {
        return new AdminApiException(message, true);
    }

    /** True when no server was reached at all, as opposed to a server that answered with an error. */
    boolean serverUnreachable() {
        return serverUnreachable;
    }
}
