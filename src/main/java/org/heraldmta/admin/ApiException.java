package org.heraldmta.admin;

/** A request the API answers with an error status and a one-line reason ({@code {"error": "..."}}). */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badParameter(String name, String what) {
        return new ApiException(400, name + ": " + what);
    }

    static ApiException notFound(String what) {
        return new ApiException(404, what);
    }

    static ApiException conflict(String what) {
        return new ApiException(409, what);
    }

    int status() {
        return status;
    }
}
