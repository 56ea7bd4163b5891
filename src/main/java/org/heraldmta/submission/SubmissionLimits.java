package org.heraldmta.submission;

import org.heraldmta.config.SmtpSettings;

/**
 * The inbound limits of the sending API.
 *
 * @param maxMessageSize  largest stored message in bytes, as {@code [smtp] max_message_size} (for a raw message:
 *                        the bytes sent; for JSON: the composed message)
 * @param maxRecipients   most envelope recipients of one message, as {@code [smtp] max_recipients}
 * @param maxRequestSize  largest JSON request body: room for base64 attachments (a third larger than their content)
 *                        and for a batch's recipient list
 * @param memoryThreshold JSON request bytes held in memory; beyond it the request body goes to a scratch file
 */
public record SubmissionLimits(long maxMessageSize, int maxRecipients, long maxRequestSize, int memoryThreshold) {

    private static final long BATCH_ALLOWANCE = 16L * 1024 * 1024;

    public SubmissionLimits {
        if (maxMessageSize < 1 || maxRecipients < 1 || maxRequestSize < 1 || memoryThreshold < 0) {
            throw new IllegalArgumentException("submission limits must be positive");
        }
    }

    /** The SMTP server's limits; a JSON request may be twice the message size plus 16 MiB. */
    public static SubmissionLimits of(SmtpSettings smtp) {
        return new SubmissionLimits(smtp.maxMessageSize(), smtp.maxRecipients(),
                2 * smtp.maxMessageSize() + BATCH_ALLOWANCE, 1024 * 1024);
    }
}
