package org.heraldmta.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.SmtpReply;

/**
 * One try of one server address: connect (or reuse a pooled connection after RSET), greeting, EHLO/HELO, STARTTLS,
 * AUTH, then MAIL, RCPT for every recipient and DATA. The order of events is the order of the code. Used once, by
 * one thread.
 *
 * <p>Up to the sending of the content, any failure means "this server cannot be used" and the next one is tried.
 * Once the content is on its way, the server has the transaction: a failure then defers the recipients, so the
 * message is never sent to two servers in one attempt.
 */
final class HostSession {

    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(5);

    private final Target target;
    private final DeliveryRequest request;
    private final AttemptLog log;
    private final ClientContext context;
    private final SmtpClientTimeouts timeouts;
    private SmtpConnection connection;
    private Step step = Step.CONNECT;

    HostSession(Target target, DeliveryRequest request, AttemptLog log, ClientContext context) {
        this.target = target;
        this.request = request;
        this.log = log;
        this.context = context;
        this.timeouts = context.timeouts();
    }

    HostResult run() {
        ConnectionPool.Key key = ConnectionPool.Key.of(target, request.heloName(), request.connection());
        try {
            connection = reuse(key);
            if (connection == null) {
                establish();
            }
            return transact(key);
        } catch (HostFailure failure) {
            closeAfterFailure(failure.serverStillTalking);
            return failure.result;
        } catch (IOException e) {
            closeAfterFailure(false);
            return new HostResult.Failed(target, step, Optional.empty(), describe(e), false);
        }
    }

    private SmtpConnection reuse(ConnectionPool.Key key) {
        Optional<SmtpConnection> pooled = context.pool().take(key);
        if (pooled.isEmpty()) {
            return null;
        }
        SmtpConnection reused = pooled.get();
        reused.attach(log);
        log.info("reusing the open connection to " + target.describe() + (reused.isTls() ? " (TLS)" : ""));
        try {
            SmtpReply reply = reused.command("RSET", timeouts.command());
            if (reply.isPositive()) {
                return reused;
            }
            log.info("RSET refused; opening a new connection");
            reused.quit(QUIT_TIMEOUT);
        } catch (IOException e) {
            log.info("the open connection failed (" + e.getMessage() + "); opening a new connection");
            reused.close();
        }
        return null;
    }

    private void establish() throws IOException, HostFailure {
        step = Step.CONNECT;
        ConnectionOptions options = request.connection();
        awaitConnectionSlot(options);
        connection = SmtpConnection.connect(target, timeouts.connect(), context.watchdog(), log,
                options.sourceAddress().map(org.heraldmta.config.IpLiterals::parse));
        if (target.tls() == TlsPolicy.IMPLICIT_VERIFIED) {
            step = Step.STARTTLS;
            handshake();
        }
        step = Step.GREETING;
        SmtpReply greeting = connection.read(timeouts.greeting());
        if (!greeting.isPositive()) {
            throw refused(greeting);
        }
        step = Step.EHLO;
        hello();
        if (target.tls().wantsStartTls()) {
            negotiateTls();
        }
        if (target.credentials().isPresent()) {
            step = Step.AUTH;
            authenticate(target.credentials().get());
        }
    }

    /** Under max_connection_rate, a new connection waits for its destination's next slot. */
    private void awaitConnectionSlot(ConnectionOptions options) throws IOException {
        if (options.connectionRate().isEmpty()) {
            return;
        }
        Duration wait = context.pacer().reserve(options.destination(), options.connectionRate().get());
        if (wait.isPositive()) {
            log.info("waiting " + wait.toMillis() + " ms before connecting: max_connection_rate "
                    + options.connectionRate().get() + " for " + options.destination());
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for max_connection_rate");
            }
        }
    }

    private void hello() throws IOException, HostFailure {
        SmtpReply ehlo = connection.command("EHLO " + request.heloName(), timeouts.command());
        if (ehlo.isPositive()) {
            connection.capabilities(ServerCapabilities.fromEhlo(ehlo));
            return;
        }
        if (!ehlo.isPermanentFailure()) {
            throw refused(ehlo);
        }
        SmtpReply helo = connection.command("HELO " + request.heloName(), timeouts.command());
        if (!helo.isPositive()) {
            throw refused(helo);
        }
        connection.capabilities(ServerCapabilities.HELO_ONLY);
        log.info("EHLO refused, HELO accepted: no SMTP extensions in this session");
    }

    private void negotiateTls() throws IOException, HostFailure {
        TlsPolicy policy = target.tls();
        if (!connection.capabilities().startTls()) {
            if (policy == TlsPolicy.OPPORTUNISTIC) {
                log.info("the server does not offer STARTTLS: continuing without TLS");
                return;
            }
            step = Step.STARTTLS;
            throw local("4.7.4 the server does not offer STARTTLS, which this route requires");
        }
        step = Step.STARTTLS;
        SmtpReply reply = connection.command("STARTTLS", timeouts.command());
        if (reply.code() != 220) {
            if (policy == TlsPolicy.OPPORTUNISTIC) {
                log.info("STARTTLS refused: continuing without TLS");
                return;
            }
            throw refused(reply);
        }
        handshake();
        step = Step.EHLO;
        hello(); // RFC 3207 §4.2: forget what the server said before TLS
    }

    private void handshake() throws HostFailure {
        TlsPolicy policy = target.tls();
        try {
            connection.startTls(policy.verifies() ? context.verifying() : context.opportunistic(), policy.verifies(),
                    timeouts.command());
        } catch (IOException e) {
            String detail = "4.7.5 TLS handshake failed: " + e.getMessage();
            log.error(detail);
            throw new HostFailure(new HostResult.Failed(target, Step.STARTTLS, Optional.empty(), detail,
                    policy == TlsPolicy.OPPORTUNISTIC), false);
        }
    }

    private void authenticate(Target.Credentials credentials) throws IOException, HostFailure {
        Set<String> mechanisms = connection.capabilities().authMechanisms();
        SmtpReply reply;
        if (mechanisms.contains("PLAIN")) {
            String token = base64("\0" + credentials.username() + "\0" + credentials.password());
            reply = connection.command("AUTH PLAIN " + token, "AUTH PLAIN ****", timeouts.command());
        } else if (mechanisms.contains("LOGIN")) {
            reply = connection.command("AUTH LOGIN", timeouts.command());
            if (reply.code() == 334) {
                reply = connection.command(base64(credentials.username()), "****", timeouts.command());
            }
            if (reply.code() == 334) {
                reply = connection.command(base64(credentials.password()), "****", timeouts.command());
            }
        } else {
            throw local("4.7.4 the server offers no AUTH mechanism Herald can use (PLAIN, LOGIN); it offers "
                    + (mechanisms.isEmpty() ? "none" : String.join(" ", mechanisms)));
        }
        if (reply.code() != 235) {
            throw refused(reply);
        }
        log.info("authenticated as " + credentials.username());
    }

    private HostResult transact(ConnectionPool.Key key) throws IOException, HostFailure {
        connection.countTransaction();
        ServerCapabilities capabilities = connection.capabilities();
        List<Address> recipients = request.recipients();
        if (capabilities.tooBig(request.size())) {
            String detail = "5.3.4 the message (" + request.size() + " bytes) is larger than the server's limit of "
                    + capabilities.sizeLimit().getAsLong() + " bytes";
            log.error(detail + "; not sent");
            release(key);
            return new HostResult.Took(allLocal(Step.MAIL, detail));
        }
        if (request.needsSmtpUtf8() && !capabilities.smtpUtf8()) {
            String detail = "5.6.7 the message needs SMTPUTF8 (non-ASCII addresses or headers), which the server"
                    + " does not offer";
            log.error(detail + "; not sent");
            release(key);
            return new HostResult.Took(allLocal(Step.MAIL, detail));
        }
        if (request.eightBit() && !capabilities.eightBitMime()) {
            log.info("the message has 8-bit content but the server does not offer 8BITMIME: sending it as it is");
        }
        String mail = mailCommand(capabilities);
        List<SmtpReply> rcptReplies = new ArrayList<>();
        step = Step.MAIL;
        SmtpReply mailReply;
        if (capabilities.pipelining()) {
            // RFC 2920: MAIL and every RCPT in one write; DATA only once their replies are in
            connection.write(mail, mail);
            for (Address recipient : recipients) {
                connection.write(rcptCommand(recipient), rcptCommand(recipient));
            }
            connection.flush(timeouts.mail());
            mailReply = connection.read(timeouts.mail());
            step = Step.RCPT;
            for (int i = 0; i < recipients.size(); i++) {
                rcptReplies.add(connection.read(timeouts.rcpt()));
            }
            if (!mailReply.isPositive()) {
                step = Step.MAIL;
                throw refused(mailReply);
            }
        } else {
            mailReply = connection.command(mail, timeouts.mail());
            if (!mailReply.isPositive()) {
                throw refused(mailReply);
            }
            step = Step.RCPT;
            for (Address recipient : recipients) {
                rcptReplies.add(connection.command(rcptCommand(recipient), timeouts.rcpt()));
            }
        }
        RecipientOutcome[] outcomes = new RecipientOutcome[recipients.size()];
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            if (rcptReplies.get(i).isPositive()) {
                accepted.add(i);
            } else {
                outcomes[i] = forReply(recipients.get(i), Step.RCPT, rcptReplies.get(i));
            }
        }
        if (accepted.isEmpty()) {
            log.info("no recipient accepted: DATA not sent");
            release(key);
            return new HostResult.Took(Arrays.asList(outcomes));
        }
        step = Step.DATA;
        InputStream content;
        try {
            content = request.content().open();
        } catch (IOException e) {
            String detail = "4.3.0 cannot read the message content: " + e.getMessage();
            log.error(detail);
            setAll(outcomes, accepted, recipient -> local(recipient, Step.DATA, detail, false));
            release(key);
            return new HostResult.Took(Arrays.asList(outcomes));
        }
        try (content) {
            SmtpReply dataReply = connection.command("DATA", timeouts.dataInit());
            if (dataReply.code() != 354) {
                setAll(outcomes, accepted, recipient -> dataReply.isPositive()
                        ? local(recipient, Step.DATA, "4.5.0 unexpected reply to DATA: " + dataReply, false)
                        : forReply(recipient, Step.DATA, dataReply));
                release(key);
                return new HostResult.Took(Arrays.asList(outcomes));
            }
            // From here on the server has the transaction: no other server is tried in this attempt.
            try {
                connection.sendContent(content, timeouts.dataBlock());
                SmtpReply end = connection.read(timeouts.dataEnd());
                setAll(outcomes, accepted, recipient -> forReply(recipient, Step.DATA, end));
                release(key);
            } catch (IOException e) {
                String detail = e instanceof SmtpConnection.ContentUnreadableException
                        ? "4.3.0 " + e.getMessage() : describe(e);
                log.error(detail);
                connection.close();
                setAll(outcomes, accepted, recipient -> local(recipient, Step.DATA, detail, false));
            }
            return new HostResult.Took(Arrays.asList(outcomes));
        }
    }

    /** Keeps the connection for the next message, unless it carried max_messages_per_connection already. */
    private void release(ConnectionPool.Key key) {
        int limit = request.connection().maxMessagesPerConnection();
        if (connection.transactions() >= limit) {
            log.info("closing the connection after " + limit + " message(s) (max_messages_per_connection)");
            connection.quit(QUIT_TIMEOUT.compareTo(timeouts.command()) < 0 ? QUIT_TIMEOUT : timeouts.command());
            return;
        }
        context.pool().offer(key, connection);
    }

    private String mailCommand(ServerCapabilities capabilities) {
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(request.sender()).append('>');
        if (capabilities.sizeLimit().isPresent()) {
            mail.append(" SIZE=").append(request.size());
        }
        if (request.eightBit() && capabilities.eightBitMime()) {
            mail.append(" BODY=8BITMIME");
        }
        if (request.needsSmtpUtf8()) {
            mail.append(" SMTPUTF8");
        }
        return mail.toString();
    }

    private static String rcptCommand(Address recipient) {
        return "RCPT TO:<" + recipient + ">";
    }

    private RecipientOutcome forReply(Address recipient, Step at, SmtpReply reply) {
        Optional<SmtpReply> r = Optional.of(reply);
        if (reply.isPositive()) {
            return new RecipientOutcome.Delivered(recipient, at, target.host(), target.ipText(), r, reply.toString());
        }
        if (reply.isTransientFailure()) {
            return new RecipientOutcome.Deferred(recipient, at, target.host(), target.ipText(), r, reply.toString());
        }
        return new RecipientOutcome.Bounced(recipient, at, target.host(), target.ipText(), r, reply.toString(),
                ReplyClassifier.blamesSender(at, reply));
    }

    private RecipientOutcome local(Address recipient, Step at, String detail, boolean permanent) {
        return permanent
                ? new RecipientOutcome.Bounced(recipient, at, target.host(), target.ipText(), Optional.empty(),
                        detail, false)
                : new RecipientOutcome.Deferred(recipient, at, target.host(), target.ipText(), Optional.empty(),
                        detail);
    }

    private List<RecipientOutcome> allLocal(Step at, String permanentDetail) {
        return request.recipients().stream().map(r -> local(r, at, permanentDetail, true)).toList();
    }

    private void setAll(RecipientOutcome[] outcomes, List<Integer> indexes,
                        java.util.function.Function<Address, RecipientOutcome> outcome) {
        for (int i : indexes) {
            outcomes[i] = outcome.apply(request.recipients().get(i));
        }
    }

    private HostFailure refused(SmtpReply reply) {
        return new HostFailure(new HostResult.Failed(target, step, Optional.of(reply), reply.toString(), false), true);
    }

    private HostFailure local(String detail) {
        log.error(detail);
        return new HostFailure(new HostResult.Failed(target, step, Optional.empty(), detail, false), true);
    }

    private void closeAfterFailure(boolean serverStillTalking) {
        if (connection == null) {
            return;
        }
        if (serverStillTalking) {
            connection.quit(QUIT_TIMEOUT.compareTo(timeouts.command()) < 0 ? QUIT_TIMEOUT : timeouts.command());
        } else {
            connection.close();
        }
    }

    /** A local description of a network failure, with the RFC 3463 status it amounts to. */
    private String describe(IOException e) {
        String during = " (" + step.label() + ")";
        if (e instanceof ConnectException) {
            return "4.4.1 connection refused" + during;
        }
        if (e instanceof NoRouteToHostException) {
            return "4.4.1 no route to host" + during;
        }
        if (e instanceof SocketTimeoutException) {
            return step == Step.CONNECT
                    ? "4.4.1 no answer within " + ReplyReader.describe(timeouts.connect()) + during
                    : "4.4.2 timed out: " + e.getMessage() + during;
        }
        if (e instanceof EOFException) {
            return "4.4.2 connection closed by the server" + during;
        }
        if (e instanceof SmtpProtocolException) {
            return "4.5.0 not a valid SMTP reply: " + e.getMessage() + during;
        }
        if (e instanceof SSLException) {
            return "4.7.5 TLS failed: " + e.getMessage() + during;
        }
        return "4.4.2 " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + during;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the session early with a result; {@code serverStillTalking} means QUIT is worth sending. */
    private static final class HostFailure extends Exception {
        private final transient HostResult.Failed result;
        private final boolean serverStillTalking;

        HostFailure(HostResult.Failed result, boolean serverStillTalking) {
            super(result.detail(), null, false, false);
            this.result = result;
            this.serverStillTalking = serverStillTalking;
        }
    }
}
