package org.heraldmta.submission;

/** Ends the handling of a request with a {@link SubmissionResult.Rejected}; internal to this package. */
final class Refusal extends Exception {

    private final transient SubmissionResult.Rejected rejected;

    Refusal(int status, String field, String message) {
        super(field + ": " + message, null, false, false);
        this.rejected = new SubmissionResult.Rejected(status, field, message);
    }

    static Refusal badField(String field, String message) {
        return new Refusal(400, field, message);
    }

    static Refusal of(InvalidFieldException e) {
        return badField(e.field(), e.getMessage().substring(e.field().length() + 2));
    }

    SubmissionResult.Rejected rejected() {
        return rejected;
    }
}
