package org.heraldmta.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Real peers nobody here wrote (Postfix, smtp-sink, swaks, dnsmasq): a missing one skips a test, except in CI. */
public final class RealPeers {

    private RealPeers() {
    }

    /** Skips the calling test when the tool is not executable; fails it instead when {@code CI=true}. */
    public static void requireTool(String absolutePath) {
        if (Files.isExecutable(Path.of(absolutePath))) {
            return;
        }
        String reason = absolutePath + " is not installed";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(reason + " (CI=true: real peers are required)");
        }
        Assumptions.assumeTrue(false, reason);
    }
}
