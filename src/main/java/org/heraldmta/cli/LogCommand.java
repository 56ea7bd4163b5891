package org.heraldmta.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.HeraldConfig;
import org.heraldmta.log.AttemptTranscript;
import org.heraldmta.log.Event;
import org.heraldmta.log.EventReader;
import org.heraldmta.log.TranscriptStore;
import org.heraldmta.mail.QueueId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code herald log QUEUE_ID}: a message's whole history for a person, read from the log directory of the same
 * configuration the server runs on (so it works whether or not the server is running, and after the message left
 * the spool).
 */
@Command(name = "log", description = "Show a message's history: its events and every attempt's transcript.")
final class LogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config = new ConfigOption();

    @Parameters(paramLabel = "QUEUE_ID", description = "the id from the server's 250 reply")
    String queueId;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QueueId id;
        try {
            id = QueueId.parse(queueId.trim());
        } catch (IllegalArgumentException e) {
            err.println("herald: not a queue id: " + queueId);
            return 2;
        }
        HeraldConfig loaded;
        try {
            loaded = config.loadWithoutSecrets();
        } catch (ConfigException e) {
            err.println("herald: " + e.getMessage());
            return 2;
        }
        Path logDir = loaded.logDir();
        List<Event> events = new EventReader(logDir).about(id);
        List<AttemptTranscript> attempts = new TranscriptStore(logDir).read(id);
        if (events.isEmpty() && attempts.isEmpty()) {
            err.println("herald: nothing logged for " + id.value() + " in " + logDir);
            return 1;
        }
        new MessageHistory(id, events, attempts).print(out);
        return 0;
    }
}
