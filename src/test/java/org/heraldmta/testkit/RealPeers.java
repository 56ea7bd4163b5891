package org.heraldmta.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real programs that tests talk to (swaks, Postfix's smtp-source, ...). Outside CI a test whose program is missing
 * is skipped with the reason; in CI ({@code CI=true}) it fails, so a broken CI image cannot pass silently.
 */
public final class RealPeers {

    private RealPeers() {
    }

    /** Returns the tool's path when it is executable; otherwise skips the test, or fails it in CI. */
    public static Path requireTool(String path) {
        Path tool = Path.of(path);
        if (Files.isExecutable(tool)) {
            return tool;
        }
        String reason = path + " is not installed (see .ci/run for the packages the tests need)";
        if (inCi()) {
            fail("CI=true and " + reason);
        }
        Assumptions.assumeTrue(false, reason);
        return tool;
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
