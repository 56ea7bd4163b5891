package org.heraldmta.smtpd;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.heraldmta.auth.Authenticator;
import org.heraldmta.auth.User;
import org.heraldmta.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms, offered only where {@link ServerContext#authOffered}
 * says so. A client address that reaches {@code max_auth_failures} within the window waits
 * {@code auth_failure_delay}, gets {@code 421 4.7.0} and is disconnected, and so does each later AUTH from it in the
 * window, right or wrong.
 *
 * <p>Secrets: the command's argument and the client's responses are never logged; on failure not even the name is
 * (people type passwords into the name field). Password bytes are cleared once checked.
 */
final class AuthCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(AuthCommand.class);

    static final String MECHANISMS = "PLAIN LOGIN";

    /** RFC 4954 §4: a client's response line may be up to 12288 octets. */
    static final int MAX_RESPONSE_LINE = 12288;

    private static final String USERNAME_CHALLENGE = "Username:";
    private static final String PASSWORD_CHALLENGE = "Password:";

    /** Why an exchange stopped before credentials were checked: the reply says it. */
    private static final class Stop extends Exception {
        private final SmtpReply reply;

        Stop(SmtpReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private record Credentials(String name, byte[] password) {
    }

    @Override
    public SmtpReply handle(SmtpSession session, String argument) throws IOException {
        ServerContext server = session.server();
        SessionState state = session.state();
        Optional<Authenticator> authenticator = server.security().authenticator();
        if (authenticator.isEmpty()) {
            return Replies.NOT_IMPLEMENTED;
        }
        if (!state.esmtp()) {
            return SmtpReply.of(503, "5.5.1", "Error: send EHLO first");
        }
        if (state.authenticated()) {
            return SmtpReply.of(503, "5.5.1", "Error: already authenticated");
        }
        if (state.transaction().isPresent()) {
            return SmtpReply.of(503, "5.5.1", "Error: MAIL transaction in progress");
        }
        if (!server.authOffered(state)) {
            return SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        String[] words = argument.strip().split(" +");
        if (words.length > 2 || words[0].isEmpty()) {
            return Replies.syntax("Syntax: AUTH mechanism [initial-response]");
        }
        if (server.authFailures().blocked(state.clientAddress())) {
            return refuseGuesser(session);
        }
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        Optional<String> initial = words.length == 2 ? Optional.of(words[1]) : Optional.empty();
        Credentials credentials;
        try {
            credentials = switch (mechanism) {
                case "PLAIN" -> plain(session, initial);
                case "LOGIN" -> login(session, initial);
                default -> throw new Stop(SmtpReply.of(504, "5.5.4", "Error: unsupported authentication mechanism; "
                        + "use one of " + MECHANISMS));
            };
        } catch (Stop stop) {
            return stop.reply;
        }
        return check(session, authenticator.get(), mechanism, credentials);
    }

    private SmtpReply check(SmtpSession session, Authenticator authenticator, String mechanism,
                            Credentials credentials) {
        ServerContext server = session.server();
        SessionState state = session.state();
        Optional<User> user;
        try {
            user = credentials.name().isEmpty() ? Optional.empty()
                    : authenticator.authenticate(credentials.name(), credentials.password());
        } catch (IOException | RuntimeException e) {
            log.warn("cannot check AUTH from {}: {}", state.clientIp(), e.getMessage());
            return SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
        } finally {
            Arrays.fill(credentials.password(), (byte) 0);
        }
        if (user.isPresent()) {
            state.authenticated(user.get());
            log.info("{}: authenticated as {} ({}{})", state.clientIp(), user.get().name(), mechanism,
                    state.tls() ? ", TLS" : ", no TLS");
            return SmtpReply.of(235, "2.7.0", "Authentication successful");
        }
        int failures = server.authFailures().recordFailure(state.clientAddress());
        log.info("{}: AUTH {} failed ({} of {} failures allowed)", state.clientIp(), mechanism, failures,
                server.authFailures().maxFailures());
        if (failures >= server.authFailures().maxFailures()) {
            return refuseGuesser(session);
        }
        return SmtpReply.of(535, "5.7.8", "Error: authentication failed");
    }

    /** PLAIN: one response {@code authzid NUL authcid NUL password}; an authzid other than the user is refused. */
    private Credentials plain(SmtpSession session, Optional<String> initial) throws IOException, Stop {
        byte[] response = initial.isPresent() ? decode(initial.get()) : challenge(session, "");
        int first = indexOf(response, 0);
        int second = first < 0 ? -1 : indexOf(response, first + 1);
        if (first < 0 || second < 0 || indexOf(response, second + 1) >= 0) {
            Arrays.fill(response, (byte) 0);
            throw new Stop(SmtpReply.of(501, "5.5.2", "Error: malformed PLAIN response"));
        }
        String authorize = text(Arrays.copyOfRange(response, 0, first));
        String name = text(Arrays.copyOfRange(response, first + 1, second));
        byte[] password = Arrays.copyOfRange(response, second + 1, response.length);
        Arrays.fill(response, (byte) 0);
        if (!authorize.isEmpty() && !authorize.equals(name)) {
            return new Credentials("", password); // acting for another user is not offered: a failure
        }
        return new Credentials(name, password);
    }

    /** LOGIN: the name (perhaps as the initial response), then the password, each after its challenge. */
    private Credentials login(SmtpSession session, Optional<String> initial) throws IOException, Stop {
        byte[] name = initial.isPresent() ? decode(initial.get()) : challenge(session, USERNAME_CHALLENGE);
        byte[] password = challenge(session, PASSWORD_CHALLENGE);
        return new Credentials(text(name), password);
    }

    /** Sends a 334 challenge and reads the client's base64 response. */
    private byte[] challenge(SmtpSession session, String challenge) throws IOException, Stop {
        String encoded = Base64.getEncoder().encodeToString(challenge.getBytes(StandardCharsets.US_ASCII));
        session.send(SmtpReply.of(334, encoded));
        Duration timeout = session.server().settings().commandTimeout();
        InputLine line = session.input().readLine(MAX_RESPONSE_LINE, timeout);
        return switch (line) {
            case InputLine.Text text when text.text().equals("*") ->
                    throw new Stop(SmtpReply.of(501, "5.7.0", "Authentication aborted"));
            case InputLine.Text text -> decode(text.text());
            case InputLine.TooLong tooLong ->
                    throw new Stop(SmtpReply.of(500, "5.5.6", "Authentication Exchange line is too long"));
            case InputLine.Malformed malformed -> throw new Stop(Replies.badSyntax(malformed.reason()));
            case InputLine.Flood flood -> {
                session.closeAfterReply();
                throw new Stop(SmtpReply.of(421, "4.7.0", session.server().hostname()
                        + " Error: line flood; closing connection"));
            }
            case InputLine.EndOfStream end -> throw new EOFException("client left during AUTH");
        };
    }

    /** Base64 as RFC 4954 §4 has it, where "=" stands for an empty initial response. */
    private static byte[] decode(String text) throws Stop {
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Stop(SmtpReply.of(501, "5.5.2", "Error: cannot decode the response (not base64)"));
        }
    }

    private static String text(byte[] utf8) throws Stop {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new Stop(SmtpReply.of(501, "5.5.2", "Error: user name is not UTF-8"));
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The address used up its failures: make it wait, then say goodbye. */
    private static SmtpReply refuseGuesser(SmtpSession session) {
        ServerContext server = session.server();
        log.warn("{}: too many failed AUTH attempts; disconnecting after {}", session.state().clientIp(),
                server.access().limits().authFailureDelay());
        try {
            Thread.sleep(server.access().limits().authFailureDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.closeAfterReply();
        return SmtpReply.of(421, "4.7.0", server.hostname()
                + " Error: too many failed authentication attempts; closing connection");
    }
}
