package org.heraldmta.smtpd;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Envelope;
import org.heraldmta.mail.SmtpReply;
import org.heraldmta.spool.IncomingMessage;
import org.heraldmta.spool.SpoolException;
import org.heraldmta.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DATA (RFC 5321 §4.1.1.4): receives the message into the spool and answers 250 only once the spool has committed
 * it. Whatever happens after the 354 reply, the message is read to its end and the transaction ends.
 */
final class DataCommand implements CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(DataCommand.class);

    @Override
    public SmtpReply handle(SmtpSession session, String argument) throws IOException {
        SessionState state = session.state();
        Transaction transaction = state.transaction().orElse(null);
        if (!argument.isBlank()) {
            return Replies.syntax("Syntax: DATA");
        }
        if (transaction == null) {
            return Replies.NEED_MAIL;
        }
        if (transaction.recipientCount() == 0) {
            return transaction.recipientTried()
                    ? SmtpReply.of(554, "5.5.1", "Error: no valid recipients")
                    : SmtpReply.of(503, "5.5.1", "Error: need RCPT command");
        }
        ServerContext server = session.server();
        IncomingMessage message;
        try {
            message = server.spool().begin();
        } catch (SpoolException e) {
            log.warn("spool refused a new message from {}: {}", state.clientIp(), e.getMessage());
            return e.diskFull() ? Replies.INSUFFICIENT_STORAGE : Replies.LOCAL_ERROR;
        }
        try (message) {
            state.reset(); // whatever happens from here on, this transaction is over
            return receive(session, transaction, message);
        }
    }

    private SmtpReply receive(SmtpSession session, Transaction transaction, IncomingMessage message)
            throws IOException {
        ServerContext server = session.server();
        SessionState state = session.state();
        session.send(SmtpReply.of(354, "End data with <CR><LF>.<CR><LF>"));
        Instant received = server.clock().instant();
        List<Address> recipients = transaction.recipients();
        String protocol = TraceFields.protocol(state.esmtp(), state.tls(), state.authenticated(),
                transaction.smtpUtf8());
        // No buffer between: the DATA reader writes whole slices of what it read, and the spool buffers itself.
        HeaderSectionWriter content = new HeaderSectionWriter(message.content(),
                TraceFields.received(state.heloName().orElse(""), state.clientAddress(), server.hostname(), protocol,
                        message.id(), recipients, received),
                TraceFields.messageId(message.id(), server.hostname()),
                TraceFields.date(received),
                server.limits().maxHeaderBlock());

        // Each read may take the data timeout; the whole message may take longer (a big message on a slow link).
        session.readTimeout(server.settings().dataTimeout());
        DataReader.Outcome outcome = new DataReader(session.input(), server.settings().maxMessageSize())
                .transfer(content);

        if (outcome.defect().isPresent()) {
            return SmtpReply.of(554, "5.6.0", "Error: message refused: " + outcome.defect().get().reason);
        }
        if (outcome.tooBig()) {
            return SmtpReply.of(552, "5.3.4", "Error: message size exceeds fixed maximum message size");
        }
        Optional<IOException> failure = outcome.sinkFailure();
        if (failure.isEmpty()) {
            try {
                content.finish();
            } catch (IOException e) {
                failure = Optional.of(e);
            }
        }
        if (failure.isPresent()) {
            log.warn("writing message {} failed: {}", message.id(), failure.get().toString());
            return isDiskFull(failure.get()) ? Replies.INSUFFICIENT_STORAGE : Replies.LOCAL_ERROR;
        }
        Envelope envelope = new Envelope(transaction.sender(), recipients, received, state.clientIp(),
                state.heloName().orElse(""), transaction.smtpUtf8(), transaction.eightBitMime());
        SpooledMessage committed;
        try {
            committed = message.commit(envelope);
        } catch (SpoolException e) {
            log.warn("committing message {} failed: {}", message.id(), e.getMessage());
            return e.diskFull() ? Replies.INSUFFICIENT_STORAGE : Replies.LOCAL_ERROR;
        }
        state.forgiveErrors();
        log.info("{}: accepted from {} [{}]{}{}, sender <{}>, {} recipient(s), {} bytes", committed.id(),
                state.heloName().orElse(""), state.clientIp(), state.tlsProtocol().map(p -> " " + p).orElse(""),
                state.user().map(u -> " user " + u.name()).orElse(""), transaction.sender(), recipients.size(),
                committed.size());
        try {
            server.listener().accepted(committed, state.clientIp(), committed.size());
        } catch (RuntimeException e) {
            log.error("{}: listener failed; the message is in the spool and recovery will find it",
                    committed.id(), e);
        }
        return SmtpReply.of(250, "2.0.0", "Ok: queued as " + committed.id());
    }

    /** A full disk shows as ENOSPC in the message, or as a SpoolException that says so somewhere in the causes. */
    static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SpoolException spoolException && spoolException.diskFull()) {
                return true;
            }
            String text = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
