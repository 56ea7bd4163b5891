package org.heraldmta.spool;

/** The spool could not store or change a message. {@link #diskFull()} tells the caller to answer 452 4.3.1. */
public class SpoolException extends Exception {

    private final boolean diskFull;

    public SpoolException(String message, boolean diskFull, Throwable cause) {
        super(message, cause);
        this.diskFull = diskFull;
    }

    public SpoolException(String message) {
        this(message, false, null);
    }

    public boolean diskFull() {
        return diskFull;
    }
}
