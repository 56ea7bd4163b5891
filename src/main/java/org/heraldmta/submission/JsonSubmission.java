package org.heraldmta.submission;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;

/**
 * The JSON forms of the sending API: one message ({@code to}, {@code cc}, {@code bcc}), or a batch
 * ({@code recipients}) of one personalised message per recipient.
 *
 * <p>A batch is read three times from its {@link RequestBody}: for the message fields and the shape of every
 * recipient entry, to check each personalised message's size (composing it only when a {@link SizeBound} says it may
 * come near the limit), and to queue them. So a wrong field
 * anywhere, or one message over the size limit, queues nothing; only the spool failing part-way (a full disk)
 * leaves a batch half queued, and the answer then lists what was.
 */
final class JsonSubmission {

    /** Composes a batch message for its size check; every queue id has the same length. */
    private static final QueueId SIZING_ID = new QueueId("0000000000000000");

    private static final List<String> ADDRESS_FIELDS = List.of("to", "cc", "bcc");

    private final Enqueuer enqueuer;
    private final MimeComposer composer;
    private final SubmissionLimits limits;
    private final Path scratchDirectory;
    private final JsonRequestReader reader;

    JsonSubmission(Enqueuer enqueuer, SubmissionLimits limits, Path scratchDirectory) {
        this.enqueuer = enqueuer;
        this.composer = new MimeComposer(enqueuer.hostname(), enqueuer.clock());
        this.limits = limits;
        this.scratchDirectory = scratchDirectory;
        this.reader = new JsonRequestReader(limits.maxRequestSize());
    }

    SubmissionResult submit(InputStream in, String clientIp) throws Refusal, IOException {
        try (RequestBody body = readBody(in)) {
            JsonRequestReader.Request request = reader.read(body.open(), true, recipient -> {
            });
            JsonMessage message;
            Address sender;
            try {
                message = JsonMessage.from(request.fields(), !request.isBatch());
                sender = JsonMessage.envelopeSender(request.fields(), message);
            } catch (InvalidFieldException e) {
                throw Refusal.of(e);
            }
            if (!request.isBatch()) {
                return new SubmissionResult.Accepted(List.of(single(message, sender, clientIp)));
            }
            return batch(body, message, sender, clientIp);
        }
    }

    private RequestBody readBody(InputStream in) throws Refusal, IOException {
        try {
            return RequestBody.read(in, limits.maxRequestSize(), limits.memoryThreshold(), scratchDirectory);
        } catch (RequestBody.TooLarge e) {
            throw new Refusal(413, "body", e.getMessage());
        } catch (RequestBody.ScratchFailure e) {
            throw new Refusal(503, "body", "cannot keep the request body (" + e.getMessage()
                    + "); nothing was queued, try again later");
        }
    }

    private QueueId single(JsonMessage message, Address sender, String clientIp) throws Refusal, IOException {
        List<Address> recipients = envelopeRecipients(message);
        return enqueuer.enqueue(sender, recipients, clientIp, limits.maxMessageSize(), (id, out) -> {
            try {
                out.write(composer.compose(message, id));
            } catch (InvalidFieldException e) {
                throw Refusal.of(e);
            }
        }).id();
    }

    /** To, Cc and Bcc in that order, each address once; the limit is named by the field where it is passed. */
    private List<Address> envelopeRecipients(JsonMessage message) throws Refusal {
        Set<Address> recipients = new LinkedHashSet<>();
        for (String field : ADDRESS_FIELDS) {
            for (String written : addresses(message, field)) {
                recipients.add(Address.parse(JsonMessage.mailbox(written)));
                if (recipients.size() > limits.maxRecipients()) {
                    throw Refusal.badField(field, "more than " + limits.maxRecipients()
                            + " recipients in to, cc and bcc together (max_recipients); send a batch with"
                            + " recipients, or several requests");
                }
            }
        }
        return List.copyOf(recipients);
    }

    private static List<String> addresses(JsonMessage message, String field) {
        return switch (field) {
            case "to" -> message.to();
            case "cc" -> message.cc();
            default -> message.bcc();
        };
    }

    private SubmissionResult batch(RequestBody body, JsonMessage template, Address sender, String clientIp)
            throws Refusal, IOException {
        for (String field : ADDRESS_FIELDS) {
            if (!addresses(template, field).isEmpty()) {
                throw Refusal.badField(field, "cannot be used with recipients: each message of a batch goes to"
                        + " its own recipient only");
            }
        }
        SizeBound bound = SizeBound.of(template);
        reader.read(body.open(), false, recipient -> {
            if (bound.forRecipient(recipient.email(), vars(recipient)) <= limits.maxMessageSize()) {
                return;
            }
            byte[] composed = compose(template, recipient, SIZING_ID);
            if (composed.length > limits.maxMessageSize()) {
                throw new Refusal(413, recipient.field(), "the personalised message is " + composed.length
                        + " bytes, more than the " + limits.maxMessageSize() + " allowed (max_message_size)");
            }
        });
        List<QueueId> accepted = new ArrayList<>();
        try {
            reader.read(body.open(), false, recipient -> accepted.add(enqueuer.enqueue(sender,
                    List.of(Address.parse(JsonMessage.mailbox(recipient.email()))), clientIp,
                    limits.maxMessageSize(), (id, out) -> out.write(compose(template, recipient, id))).id()));
        } catch (Refusal refusal) {
            if (accepted.isEmpty()) {
                throw refusal;
            }
            return new SubmissionResult.Interrupted(accepted, refusal.rejected());
        }
        return new SubmissionResult.Accepted(accepted);
    }

    private byte[] compose(JsonMessage template, JsonRequestReader.Recipient recipient, QueueId id)
            throws Refusal {
        try {
            return composer.compose(template.personalised(vars(recipient)).addressedTo(recipient.email()), id);
        } catch (InvalidFieldException e) {
            throw Refusal.badField(recipient.field(), e.getMessage());
        }
    }

    /** The recipient's vars, and {@code email} unless they name it themselves. */
    private static Map<String, String> vars(JsonRequestReader.Recipient recipient) {
        Map<String, String> vars = new java.util.HashMap<>(recipient.vars());
        vars.putIfAbsent("email", JsonMessage.mailbox(recipient.email()));
        return vars;
    }
}
