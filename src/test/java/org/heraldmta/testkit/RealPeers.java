package org.heraldmta.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Rules for tests that need real peers nobody here wrote (dnsmasq, smtp-sink, swaks, Postfix): outside CI a missing
 * tool skips the test with a reason; with {@code CI=true} it fails it, so CI cannot go green without the peer.
 */
public final class RealPeers {

    private RealPeers() {
    }

    /** Skips (outside CI) or fails (in CI) the calling test unless {@code absolutePath} is an executable file. */
    public static void requireTool(String absolutePath) {
        if (Files.isExecutable(Path.of(absolutePath))) {
            return;
        }
        String reason = absolutePath + " is not installed";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + ", and CI=true requires it");
        }
        Assumptions.abort(reason + "; skipped outside CI");
    }
}
