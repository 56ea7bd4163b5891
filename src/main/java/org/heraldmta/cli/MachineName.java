package org.heraldmta.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heraldmta.mail.Domain;

/**
 * This machine's name, read from the kernel rather than through a name lookup (Herald never asks the system
 * resolver anything).
 */
final class MachineName {

    private MachineName() {
    }

    static String read() {
        for (Path source : new Path[] {Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname")}) {
            try {
                String name = Files.readString(source).trim();
                if (!name.isEmpty()) {
                    Domain.of(name);
                    return name;
                }
            } catch (IOException | IllegalArgumentException e) {
                // try the next source
            }
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost.localdomain" : env;
    }
}
