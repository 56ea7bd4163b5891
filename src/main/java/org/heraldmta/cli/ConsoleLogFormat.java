package org.heraldmta.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import org.heraldmta.config.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Switches the server's log on standard output between plain lines (logback.xml's pattern, the default) and one
 * JSON object per line. {@value #VARIABLE} ({@code plain} or {@code json}) wins over {@code [log] format}, so that
 * a service manager can choose without editing the file.
 */
final class ConsoleLogFormat {

    static final String VARIABLE = "HERALD_LOG_FORMAT";
    static final String PLAIN_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";
    private static final String APPENDER = "STDOUT";

    private ConsoleLogFormat() {
    }

    /**
     * The format to use: the variable's value when it is set, else the configured one.
     *
     * @throws IllegalArgumentException naming the variable, when it holds something else
     */
    static LogFormat choose(Optional<String> variable, LogFormat configured) {
        if (variable.isEmpty() || variable.get().isBlank()) {
            return configured;
        }
        try {
            return LogFormat.valueOf(variable.get().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + ": must be plain or json, got \"" + variable.get() + "\"");
        }
    }

    /** Writes the log to standard output in {@code format} from now on. */
    static void use(LogFormat format) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        install(format, console);
    }

    /** As {@link #use(LogFormat)}, to another stream (for tests). */
    static void use(LogFormat format, OutputStream target) {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setOutputStream(target);
        install(format, appender);
    }

    private static void install(LogFormat format, OutputStreamAppender<ILoggingEvent> appender) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setEncoder(encoder(format, context));
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(APPENDER);
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
        if (format == LogFormat.PLAIN) {
            PatternLayoutEncoder plain = new PatternLayoutEncoder();
            plain.setContext(context);
            plain.setPattern(PLAIN_PATTERN);
            plain.start();
            return plain;
        }
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // time, level, thread, logger, the message with its arguments filled in, and any exception
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMarkers(false);
        json.setWithMDC(false);
        json.setWithKVPList(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        return json;
    }
}
