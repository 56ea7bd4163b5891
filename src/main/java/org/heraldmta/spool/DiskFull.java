package org.heraldmta.spool;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/** Tells a full disk (answer 452 4.3.1, try again later) from other write failures. */
final class DiskFull {

    private DiskFull() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("no space left") || text.contains("disk quota exceeded")) {
                return true;
            }
            if (t instanceof FileSystemException fse && fse.getReason() != null
                    && fse.getReason().toLowerCase(Locale.ROOT).contains("space")) {
                return true;
            }
        }
        return false;
    }

    static SpoolException spoolException(String what, IOException cause) {
        boolean full = causedBy(cause);
        return new SpoolException(what + (full ? ": disk full (" : ": write failed (") + cause.getMessage() + ")",
                full, cause);
    }
}
