package org.heraldmta.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.ConfigLoader;
import org.heraldmta.config.HeraldConfig;
import org.heraldmta.config.ListenAddress;

/**
 * {@code herald sendmail}: the sendmail command line for programs (cron, PHP's mail(), scripts). Reads the
 * message on standard input and submits it to the running server. Exit codes follow sysexits.h so that callers
 * retry when they should: 0 accepted, 64 usage, 65 bad message, 69 refused, 75 try again later (server not
 * running or busy), 78 bad configuration.
 */
final class SendmailCommand {

    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_TEMPFAIL = 75;
    static final int EX_CONFIG = 78;

    private SendmailCommand() {
    }

    static int run(List<String> args, InputStream stdin, PrintWriter out, PrintWriter err, String user) {
        SendmailArguments arguments;
        try {
            arguments = SendmailArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("sendmail: " + e.getMessage());
            return EX_USAGE;
        }
        HeraldConfig config;
        try {
            ConfigLoader loader = new ConfigLoader(MachineName.read(), Path.of("")).withoutSecrets();
            String file = arguments.configFile().orElse(System.getenv("HERALD_CONFIG"));
            config = file == null || file.isBlank() ? loader.defaults() : loader.load(Path.of(file));
        } catch (ConfigException e) {
            err.println("sendmail: " + e.getMessage());
            return EX_CONFIG;
        }
        String sender = arguments.sender().orElse(user + "@" + config.hostname());
        String from = arguments.fullName().map(name -> "\"" + name.replace("\"", "") + "\" <" + sender + ">")
                .orElse(sender);
        SendmailMessage message;
        try {
            message = SendmailMessage.read(stdin, arguments.dotEndsInput(), arguments.recipientsFromHeaders(), from);
        } catch (java.io.IOException e) {
            err.println("sendmail: " + e.getMessage());
            return EX_DATAERR;
        }
        LinkedHashSet<String> recipients = new LinkedHashSet<>(arguments.recipients());
        recipients.addAll(message.headerRecipients());
        if (recipients.isEmpty()) {
            err.println("sendmail: no recipients (give them as arguments, or use -t to take them from the headers)");
            return EX_USAGE;
        }
        LocalSubmission.Result result = new LocalSubmission(submissionAddress(config), config.hostname())
                .submit(sender, new ArrayList<>(recipients), message.content());
        return switch (result) {
            case LocalSubmission.Result.Accepted accepted -> 0;
            case LocalSubmission.Result.TryLater later -> {
                err.println("sendmail: " + later.reason());
                yield EX_TEMPFAIL;
            }
            case LocalSubmission.Result.Refused refused -> {
                err.println("sendmail: " + refused.reason());
                yield EX_UNAVAILABLE;
            }
        };
    }

    /** The first SMTP listener, with a wildcard address replaced by loopback. */
    private static InetSocketAddress submissionAddress(HeraldConfig config) {
        ListenAddress listen = config.smtp().listen().get(0);
        String host = listen.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
            host = "::1";
        }
        return new ListenAddress(host, listen.port()).socketAddress();
    }
}
