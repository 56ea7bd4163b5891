package org.heraldmta.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real peers nobody here wrote (swaks, smtp-sink, smtp-source, dnsmasq, Postfix). Outside CI a missing tool skips
 * the test with a reason; in CI ({@code CI=true}) it fails it, so a missing install step cannot hide.
 */
public final class RealPeers {

    private RealPeers() {
    }

    public static void requireTool(String absolutePath) {
        if (Files.isExecutable(Path.of(absolutePath))) {
            return;
        }
        String reason = absolutePath + " is not installed (see .ci/run for the Debian packages)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(reason);
        }
        Assumptions.assumeTrue(false, reason);
    }
}
