package org.heraldmta.submission;

/** A request field that is missing or wrong; the HTTP API answers 400 naming {@link #field()}. */
public class InvalidFieldException extends Exception {

    private final String field;

    public InvalidFieldException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
