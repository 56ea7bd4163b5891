package org.heraldmta.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** {@code herald queue ...}: look at and act on the running server's queue through its admin API (--help inherited). */
@Command(name = "queue", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        description = "List, show and act on the messages in the running server's queue.",
        subcommands = {QueueListCommand.class, QueueShowCommand.class, QueueActionCommand.Retry.class,
                QueueActionCommand.Hold.class, QueueActionCommand.Release.class, QueueActionCommand.Delete.class,
                QueueActionCommand.Bounce.class})
final class QueueCommand {
}
