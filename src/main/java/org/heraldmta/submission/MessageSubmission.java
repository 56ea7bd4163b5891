package org.heraldmta.submission;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.mail.Address;
import org.heraldmta.smtpd.MessageAcceptedListener;
import org.heraldmta.spool.Spool;

/**
 * The sending API without HTTP: takes a request's content type, query parameters and body, queues its messages and
 * says what became of them. Thread safe; each call blocks until its messages are committed (fsynced).
 *
 * <p>The forms of a request:
 * <ul>
 *   <li>{@code message/rfc822}: a raw RFC 5322 message as the body, the envelope in the query: {@code from} (once)
 *       and {@code to} (repeated, or comma-separated). Herald adds Received, and Message-ID and Date when missing;
 *       LF line ends become CRLF.</li>
 *   <li>{@code application/json}: one message from {@code from}, {@code to}, {@code cc}, {@code bcc},
 *       {@code reply_to}, {@code subject}, {@code text}, {@code html}, {@code headers}, {@code attachments}
 *       ({@code name}, {@code type}, base64 {@code content}) and optionally {@code envelope_from}.</li>
 *   <li>{@code application/json} with {@code recipients: [{"email": ..., "vars": {...}}, ...]}: a batch, one message
 *       per recipient with {@code {{name}}} placeholders in subject, text and html filled from its vars
 *       ({@code {{email}}} is the recipient's address unless vars say otherwise).</li>
 * </ul>
 * The SMTP server's limits hold: {@code max_message_size} for each stored message, {@code max_recipients} for each
 * message's envelope.
 */
public final class MessageSubmission {

    public static final String RAW = "message/rfc822";
    public static final String JSON = "application/json";

    private final Enqueuer enqueuer;
    private final SubmissionLimits limits;
    private final JsonSubmission json;

    /**
     * @param spool            where messages go
     * @param hostname         Herald's name, for Received and Message-ID
     * @param limits           usually {@link SubmissionLimits#of} the {@code [smtp]} settings
     * @param scratchDirectory where a large JSON request body is kept while it is handled (created when needed)
     * @param clock            for Date and the envelope's received time
     * @param listener         told of every committed message before the answer is given, as smtpd tells it
     */
    public MessageSubmission(Spool spool, String hostname, SubmissionLimits limits, Path scratchDirectory,
                             InstantSource clock, MessageAcceptedListener listener) {
        this.enqueuer = new Enqueuer(spool, hostname, clock, listener);
        this.limits = limits;
        this.json = new JsonSubmission(enqueuer, limits, scratchDirectory);
    }

    /**
     * Handles one request.
     *
     * @param contentType the Content-Type header (parameters such as charset are ignored), or null
     * @param query       the query parameters
     * @param body        the request body; read to its end or until it is refused, not closed
     * @param clientIp    the client's IP address as a literal (it goes into the Received field, never resolved)
     */
    public SubmissionResult submit(String contentType, Map<String, List<String>> query, InputStream body,
                                   String clientIp) {
        if (!IpLiterals.isLiteral(clientIp)) {
            throw new IllegalArgumentException("not an IP literal: " + clientIp);
        }
        String mediaType = contentType == null ? ""
                : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        try {
            return switch (mediaType) {
                case RAW -> raw(query, body, clientIp);
                case JSON -> {
                    if (!query.isEmpty()) {
                        throw Refusal.badField(query.keySet().iterator().next(),
                                "query parameters are only for " + RAW + "; put the fields in the JSON body");
                    }
                    yield json.submit(body, clientIp);
                }
                default -> throw new Refusal(415, "Content-Type", "must be " + JSON + " or " + RAW
                        + " (a raw message with from and to query parameters), not \"" + mediaType + "\"");
            };
        } catch (Refusal refusal) {
            return refusal.rejected();
        } catch (IOException e) {
            return new SubmissionResult.Rejected(400, "body", "the request body could not be read ("
                    + e.getMessage() + "); nothing was queued");
        }
    }

    private SubmissionResult raw(Map<String, List<String>> query, InputStream body, String clientIp)
            throws Refusal, IOException {
        for (String name : query.keySet()) {
            if (!name.equals("from") && !name.equals("to")) {
                throw Refusal.badField(name, "unknown query parameter; allowed: from, to");
            }
        }
        List<String> from = query.getOrDefault("from", List.of());
        if (from.size() != 1) {
            throw Refusal.badField("from", "the envelope sender is required, once, as a query parameter");
        }
        Address sender = address("from", from.get(0));
        List<Address> recipients = rawRecipients(query.getOrDefault("to", List.of()));
        return new SubmissionResult.Accepted(List.of(enqueuer.enqueue(sender, recipients, clientIp,
                limits.maxMessageSize(), (id, out) -> {
                    body.transferTo(out);
                    if (out.size() == 0) {
                        throw Refusal.badField("body", "is empty; it must be the RFC 5322 message");
                    }
                }).id()));
    }

    private List<Address> rawRecipients(List<String> values) throws Refusal {
        Set<Address> recipients = new LinkedHashSet<>();
        List<String> written = new ArrayList<>();
        for (String value : values) {
            for (String one : value.split(",")) {
                if (!one.isBlank()) {
                    written.add(one.strip());
                }
            }
        }
        for (int i = 0; i < written.size(); i++) {
            recipients.add(address("to[" + i + "]", written.get(i)));
        }
        if (recipients.isEmpty()) {
            throw Refusal.badField("to", "at least one recipient is required as a query parameter");
        }
        if (recipients.size() > limits.maxRecipients()) {
            throw Refusal.badField("to", "more than " + limits.maxRecipients() + " recipients (max_recipients)");
        }
        return List.copyOf(recipients);
    }

    private static Address address(String field, String written) throws Refusal {
        try {
            return Address.parse(JsonMessage.mailbox(written));
        } catch (IllegalArgumentException e) {
            throw Refusal.badField(field, "\"" + written + "\" is not an address: " + e.getMessage());
        }
    }
}
