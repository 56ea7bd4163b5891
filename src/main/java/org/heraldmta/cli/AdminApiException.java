package org.heraldmta.cli;

/** The admin API could not be reached or refused a request; the message is one line for a person. */
final class AdminApiException extends Exception {

    AdminApiException(String message) {
        super(message);
    }
}
