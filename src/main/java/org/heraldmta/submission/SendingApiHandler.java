package org.heraldmta.submission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.heraldmta.mail.QueueId;

/**
 * {@code POST /api/v1/messages} on a Javalin 7 server: hands the request to {@link MessageSubmission} and answers
 * {@code 202 {"ids": [...]}} once every message is committed, {@code 4xx {"error": ..., "field": ...}} naming the
 * wrong field, or {@code 503} (with Retry-After) when the spool cannot store. A batch that the spool stopped
 * part-way answers 503 with the ids it did queue, so that a client retries only the recipients after them.
 *
 * <p>Authentication is the mounting server's business (its before-handlers run first).
 */
public final class SendingApiHandler implements Handler {

    public static final String PATH = "/api/v1/messages";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MessageSubmission submission;

    public SendingApiHandler(MessageSubmission submission) {
        this.submission = submission;
    }

    /** Adds {@code POST /api/v1/messages} to a router: {@code Javalin.create(c -> handler.register(c.routes))}. */
    public void register(RoutesConfig routes) {
        routes.post(PATH, this);
    }

    @Override
    public void handle(Context ctx) throws IOException {
        SubmissionResult result = submission.submit(ctx.contentType(), ctx.queryParamMap(), ctx.bodyInputStream(),
                clientIp(ctx.req().getRemoteAddr()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = JSON.createGenerator(body)) {
            out.writeStartObject();
            switch (result) {
                case SubmissionResult.Accepted accepted -> {
                    ctx.status(202);
                    writeIds(out, accepted.ids());
                }
                case SubmissionResult.Rejected rejected -> writeRejection(ctx, out, rejected);
                case SubmissionResult.Interrupted interrupted -> {
                    writeRejection(ctx, out, interrupted.reason());
                    writeIds(out, interrupted.accepted());
                }
            }
            out.writeEndObject();
        }
        ctx.contentType("application/json").result(body.toByteArray());
    }

    private static void writeRejection(Context ctx, JsonGenerator out, SubmissionResult.Rejected rejected)
            throws IOException {
        ctx.status(rejected.status());
        if (rejected.status() == 503) {
            ctx.header("Retry-After", "60");
        }
        out.writeStringField("error", rejected.field() + ": " + rejected.message());
        out.writeStringField("field", rejected.field());
    }

    private static void writeIds(JsonGenerator out, List<QueueId> ids) throws IOException {
        out.writeArrayFieldStart("ids");
        for (QueueId id : ids) {
            out.writeString(id.value());
        }
        out.writeEndArray();
    }

    /** Jetty writes an IPv6 client as {@code [::1]}; the Received field wants the bare literal. */
    static String clientIp(String remoteAddress) {
        return remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
                ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
    }
}
