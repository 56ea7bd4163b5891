package org.heraldmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;
import org.heraldmta.smtpd.MessageAcceptedListener;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.testkit.InMemorySpool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageSubmissionTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-03T12:00:00Z"));
    private static final Map<String, List<String>> NO_QUERY = Map.of();

    @TempDir
    Path scratch;

    private final InMemorySpool spool = new InMemorySpool(CLOCK);
    private final List<SpooledMessage> announced = Collections.synchronizedList(new ArrayList<>());
    private MessageAcceptedListener listener = (message, ip, size) -> announced.add(message);

    private MessageSubmission submission(SubmissionLimits limits) {
        return new MessageSubmission(spool, "mail.herald.test", limits, scratch, CLOCK,
                (message, ip, size) -> listener.accepted(message, ip, size));
    }

    private MessageSubmission submission() {
        return submission(new SubmissionLimits(64 * 1024, 5, 1024 * 1024, 4096));
    }

    private SubmissionResult json(MessageSubmission submission, String body) {
        return submission.submit("application/json; charset=utf-8", NO_QUERY, stream(body), "127.0.0.1");
    }

    private SubmissionResult raw(MessageSubmission submission, Map<String, List<String>> query, String body) {
        return submission.submit("message/rfc822", query, stream(body), "127.0.0.1");
    }

    private static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    private static QueueId onlyId(SubmissionResult result) {
        assertThat(result).isInstanceOf(SubmissionResult.Accepted.class);
        List<QueueId> ids = ((SubmissionResult.Accepted) result).ids();
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    @Test
    void aRawMessageIsStoredWithCrlfLineEndsAndHeraldsTraceFields() {
        QueueId id = onlyId(raw(submission(), Map.of("from", List.of("app@sender.test"),
                "to", List.of("ann@a.test,bob@b.test", "cy@c.test")), "Subject: hi\nFrom: app@sender.test\n\nline 1\nline 2"));

        String stored = spool.contentAsString(id);
        assertThat(stored).startsWith("Received: from http ([127.0.0.1])\r\n\tby mail.herald.test (Herald) with HTTP id "
                + id + ";\r\n\tThu, 3 Dec 2026 12:00:00 +0000\r\n");
        assertThat(stored).contains("Message-ID: <" + id + "@mail.herald.test>\r\n",
                "Date: Thu, 3 Dec 2026 12:00:00 +0000\r\n");
        assertThat(stored).endsWith("Subject: hi\r\nFrom: app@sender.test\r\n\r\nline 1\r\nline 2\r\n");
        SpooledMessage message = spool.find(id).orElseThrow();
        assertThat(message.envelope().sender()).isEqualTo(Address.parse("app@sender.test"));
        assertThat(message.envelope().recipients()).extracting(Address::toString)
                .containsExactly("ann@a.test", "bob@b.test", "cy@c.test");
        assertThat(message.envelope().heloName()).isEqualTo("http");
        assertThat(announced).containsExactly(message);
    }

    @Test
    void aRawMessageKeepsItsOwnMessageIdAndDate() {
        QueueId id = onlyId(raw(submission(), Map.of("from", List.of("app@sender.test"), "to", List.of("ann@a.test")),
                "Message-ID: <own@sender.test>\r\nDate: Mon, 1 Dec 2026 08:00:00 +0000\r\n\r\nbody\r\n"));

        String stored = spool.contentAsString(id);
        assertThat(stored).doesNotContain("Message-ID: <" + id).doesNotContain("Date: Thu");
        assertThat(stored).endsWith("\r\nMessage-ID: <own@sender.test>\r\nDate: Mon, 1 Dec 2026 08:00:00 +0000\r\n\r\nbody\r\n");
        assertThat(spool.find(id).orElseThrow().envelope().recipients()).extracting(Address::toString)
                .containsExactly("ann@a.test");
    }

    @Test
    void aJsonMessageGoesToToCcAndBccOnceEachWithBccOnlyInTheEnvelope() {
        QueueId id = onlyId(json(submission(), """
                {"from": "\\"Shop\\" <shop@sender.test>", "to": ["ann@a.test", "bob@b.test"], "cc": "ann@a.test",
                 "bcc": ["audit@sender.test"], "subject": "Order", "text": "Thanks"}
                """));

        SpooledMessage message = spool.find(id).orElseThrow();
        assertThat(message.envelope().sender()).isEqualTo(Address.parse("shop@sender.test"));
        assertThat(message.envelope().recipients()).extracting(Address::toString)
                .containsExactly("ann@a.test", "bob@b.test", "audit@sender.test");
        assertThat(spool.contentAsString(id)).startsWith("Received: from http ([127.0.0.1])")
                .contains("Message-ID: <" + id + "@mail.herald.test>").doesNotContain("audit@");
        assertThat(announced).containsExactly(message);
    }

    @Test
    void envelopeFromIsTheEnvelopeSenderWhenGiven() {
        QueueId id = onlyId(json(submission(), """
                {"from": "shop@sender.test", "envelope_from": "bounces@sender.test", "to": "ann@a.test", "text": "x"}
                """));
        assertThat(spool.find(id).orElseThrow().envelope().sender()).isEqualTo(Address.parse("bounces@sender.test"));
    }

    @Test
    void aBatchStoresOnePersonalisedMessagePerRecipientInRequestOrder() {
        MessageSubmission small = submission(new SubmissionLimits(64 * 1024, 5, 1024 * 1024, 16));
        SubmissionResult result = json(small, """
                {"recipients": [{"email": "ann@a.test", "vars": {"name": "Ann", "n": 1}},
                                {"email": "\\"Bob B\\" <bob@b.test>", "vars": {"name": "Bob", "n": 2}},
                                {"email": "cy@c.test"}],
                 "from": "shop@sender.test", "subject": "Hi {{name}}", "text": "Code {{n}} for {{email}}."}
                """);

        assertThat(result).isInstanceOf(SubmissionResult.Accepted.class);
        List<QueueId> ids = ((SubmissionResult.Accepted) result).ids();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(spool.contentAsString(ids.get(0))).contains("To: ann@a.test\r\n", "Subject: Hi Ann\r\n",
                "Code 1 for ann@a.test.");
        assertThat(spool.contentAsString(ids.get(1))).contains("To: Bob B <bob@b.test>\r\n", "Subject: Hi Bob\r\n",
                "Code 2 for bob@b.test.");
        assertThat(spool.contentAsString(ids.get(2))).contains("Subject: Hi\r\n", "Code  for cy@c.test.");
        assertThat(spool.find(ids.get(1)).orElseThrow().envelope().recipients()).extracting(Address::toString)
                .containsExactly("bob@b.test");
        assertThat(announced).extracting(SpooledMessage::id).containsExactlyElementsOf(ids);
    }

    @Test
    void aLargeBatchRequestIsKeptInAScratchFileThatIsDeletedAfterwards() throws IOException {
        MessageSubmission tiny = submission(new SubmissionLimits(64 * 1024, 5, 1024 * 1024, 16));
        StringBuilder recipients = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            recipients.append(i == 0 ? "" : ",").append("{\"email\": \"r").append(i).append("@a.test\"}");
        }
        SubmissionResult result = json(tiny, "{\"from\": \"shop@sender.test\", \"text\": \"x\", \"recipients\": ["
                + recipients + "]}");

        assertThat(((SubmissionResult.Accepted) result).ids()).hasSize(50);
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    static Stream<Arguments> wrongRequests() {
        Map<String, List<String>> envelope = Map.of("from", List.of("a@x.test"), "to", List.of("b@y.test"));
        return Stream.of(
                json("{\"to\": \"b@y.test\", \"text\": \"x\"}", "from"),
                json("{\"from\": \"not an address\", \"to\": \"b@y.test\", \"text\": \"x\"}", "from"),
                json("{\"from\": \"a@x.test\", \"to\": [\"b@y.test\", \"nope\"], \"text\": \"x\"}", "to[1]"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\"}", "to"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"cc\": [\"c@y.test\", 7], \"text\": \"x\"}", "cc[1]"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"bcc\": \"@\", \"text\": \"x\"}", "bcc"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"reply_to\": \"x\", \"text\": \"x\"}", "reply_to"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"subject\": 1, \"text\": \"x\"}", "subject"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\"}", "text"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"html\": []}", "html"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"colour\": \"red\"}", "colour"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"headers\": {\"X-A\": \"1\\r\\nBcc: c@z.test\"}}",
                        "headers.X-A"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"attachments\": [{\"name\": \"a\", \"content\": \"%%\"}]}",
                        "attachments[0].content"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"attachments\": [{\"content\": \"aGk=\"}]}",
                        "name"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"attachments\": [{\"name\": \"a\", \"type\": \"no type\", \"content\": \"aGk=\"}]}",
                        "attachments[0].type"),
                json("{\"from\": \"a@x.test\", \"envelope_from\": \"nope\", \"to\": \"b@y.test\", \"text\": \"x\"}", "envelope_from"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\", \"text\": \"y\"}", "text"),
                json("{\"from\": \"a@x.test\", \"to\": [\"1@y.test\", \"2@y.test\", \"3@y.test\"], \"cc\": [\"4@y.test\", \"5@y.test\", \"6@y.test\"], \"text\": \"x\"}",
                        "cc"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\"", "body"),
                json("[{\"from\": \"a@x.test\"}]", "body"),
                json("{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\"} {}", "body"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": {\"email\": \"b@y.test\"}}", "recipients"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": []}", "recipients"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\"}, \"c@y.test\"]}",
                        "recipients[1]"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\"}, {\"email\": \"b@\"}]}",
                        "recipients[1].email"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"vars\": {}}]}", "recipients[0].email"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\", \"vars\": {\"a\": {\"b\": 1}}}]}",
                        "recipients[0].vars.a"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\", \"vars\": []}]}",
                        "recipients[0].vars"),
                json("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\", \"name\": \"B\"}]}",
                        "recipients[0].name"),
                json("{\"from\": \"a@x.test\", \"to\": \"c@y.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\"}]}",
                        "to"),
                json("{\"from\": \"a@x.test\", \"bcc\": \"c@y.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\"}]}",
                        "bcc"),
                json("{\"recipients\": [{\"email\": \"b@y.test\"}], \"from\": \"a@x.test\"}", "text"),
                Arguments.of("application/json", Map.of("from", List.of("a@x.test")),
                        "{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\"}", 400, "from"),
                Arguments.of("text/plain", NO_QUERY, "hello", 415, "Content-Type"),
                Arguments.of(null, NO_QUERY, "hello", 415, "Content-Type"),
                Arguments.of("message/rfc822", Map.of("to", List.of("b@y.test")), "Subject: x\r\n\r\nx\r\n", 400, "from"),
                Arguments.of("message/rfc822", Map.of("from", List.of("a@x.test", "c@x.test"), "to", List.of("b@y.test")),
                        "Subject: x\r\n\r\nx\r\n", 400, "from"),
                Arguments.of("message/rfc822", Map.of("from", List.of("a@x.test")), "Subject: x\r\n\r\nx\r\n", 400, "to"),
                Arguments.of("message/rfc822", Map.of("from", List.of("a@x.test"), "to", List.of("b@y.test, bad")),
                        "Subject: x\r\n\r\nx\r\n", 400, "to[1]"),
                Arguments.of("message/rfc822", Map.of("from", List.of("a@x.test"), "to", List.of("1@y.test,2@y.test,3@y.test,4@y.test,5@y.test,6@y.test")),
                        "Subject: x\r\n\r\nx\r\n", 400, "to"),
                Arguments.of("message/rfc822", Map.of("from", List.of("a@x.test"), "to", List.of("b@y.test"), "too", List.of("c@y.test")),
                        "Subject: x\r\n\r\nx\r\n", 400, "too"),
                Arguments.of("message/rfc822", envelope, "", 400, "body"),
                Arguments.of("message/rfc822", envelope, "Subject: x\r\n\r\nnul \0 here\r\n", 400, "body"));
    }

    private static Arguments json(String body, String field) {
        return Arguments.of("application/json", NO_QUERY, body, 400, field);
    }

    @ParameterizedTest(name = "{4} in {2}")
    @MethodSource("wrongRequests")
    void aWrongRequestIsRefusedNamingTheFieldAndQueuesNothing(String contentType, Map<String, List<String>> query,
                                                              String body, int status, String field) {
        SubmissionResult result = submission().submit(contentType, query, stream(body), "127.0.0.1");

        assertThat(result).isInstanceOf(SubmissionResult.Rejected.class);
        SubmissionResult.Rejected rejected = (SubmissionResult.Rejected) result;
        assertThat(rejected.field()).isEqualTo(field);
        assertThat(rejected.status()).isEqualTo(status);
        assertThat(rejected.message()).isNotBlank();
        assertThat(spool.messages()).isEmpty();
        assertThat(spool.inProgress()).isZero();
        assertThat(announced).isEmpty();
    }

    @Test
    void aBatchWithAWrongLastRecipientQueuesNothing() {
        StringBuilder body = new StringBuilder("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [");
        for (int i = 0; i < 200; i++) {
            body.append("{\"email\": \"r").append(i).append("@y.test\"},");
        }
        body.append("{\"email\": \"last@\"}]}");

        SubmissionResult result = json(submission(), body.toString());

        assertThat(result).isEqualTo(new SubmissionResult.Rejected(400, "recipients[200].email",
                ((SubmissionResult.Rejected) result).message()));
        assertThat(spool.messages()).isEmpty();
    }

    @Test
    void aRawMessageOverTheSizeLimitIsRefusedWith413() {
        MessageSubmission limited = submission(new SubmissionLimits(1000, 5, 100_000, 4096));
        String header = "Subject: big\r\n\r\n";
        String exactly = header + "x".repeat(1000 - header.length() - 2) + "\r\n";

        assertThat(raw(limited, Map.of("from", List.of("a@x.test"), "to", List.of("b@y.test")), exactly))
                .isInstanceOf(SubmissionResult.Accepted.class);
        SubmissionResult tooBig = raw(limited, Map.of("from", List.of("a@x.test"), "to", List.of("b@y.test")),
                exactly + "x");

        assertThat(tooBig).isInstanceOfSatisfying(SubmissionResult.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.field()).isEqualTo("body");
            assertThat(r.message()).contains("max_message_size");
        });
        assertThat(spool.messages()).hasSize(1);
        assertThat(spool.inProgress()).isZero();
    }

    @Test
    void aJsonMessageWhoseComposedFormIsOverTheSizeLimitIsRefusedWith413() {
        MessageSubmission limited = submission(new SubmissionLimits(2000, 5, 100_000, 4096));
        SubmissionResult result = json(limited, "{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \""
                + "word ".repeat(500) + "\"}");

        assertThat(result).isInstanceOfSatisfying(SubmissionResult.Rejected.class,
                r -> assertThat(r.status()).isEqualTo(413));
        assertThat(spool.messages()).isEmpty();
        assertThat(spool.inProgress()).isZero();
    }

    @Test
    void aBatchWithOnePersonalisedMessageOverTheSizeLimitQueuesNothing() {
        MessageSubmission limited = submission(new SubmissionLimits(2000, 5, 100_000, 4096));
        SubmissionResult result = json(limited, "{\"from\": \"a@x.test\", \"text\": \"Hi {{name}}\", \"recipients\": ["
                + "{\"email\": \"b@y.test\", \"vars\": {\"name\": \"B\"}},"
                + "{\"email\": \"c@y.test\", \"vars\": {\"name\": \"" + "long ".repeat(500) + "\"}}]}");

        assertThat(result).isInstanceOfSatisfying(SubmissionResult.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.field()).isEqualTo("recipients[1]");
        });
        assertThat(spool.messages()).isEmpty();
    }

    @Test
    void aRequestBodyOverTheRequestLimitIsRefusedWith413() {
        MessageSubmission limited = submission(new SubmissionLimits(64 * 1024, 5, 1000, 100));
        SubmissionResult result = json(limited, "{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \""
                + "x".repeat(1000) + "\"}");

        assertThat(result).isInstanceOfSatisfying(SubmissionResult.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.field()).isEqualTo("body");
        });
    }

    @Test
    void aFullDiskRefusesWith503AndClaimsNothing() {
        spool.diskFull(true);
        MessageSubmission submission = submission();

        SubmissionResult rawResult = raw(submission, Map.of("from", List.of("a@x.test"), "to", List.of("b@y.test")),
                "Subject: x\r\n\r\nx\r\n");
        SubmissionResult jsonResult = json(submission, "{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\"}");
        SubmissionResult batchResult = json(submission,
                "{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"b@y.test\"}]}");

        for (SubmissionResult result : List.of(rawResult, jsonResult, batchResult)) {
            assertThat(result).isInstanceOfSatisfying(SubmissionResult.Rejected.class, r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.message()).contains("disk space");
            });
        }
        assertThat(spool.messages()).isEmpty();
        assertThat(spool.inProgress()).isZero();
        assertThat(announced).isEmpty();
    }

    @Test
    void aDiskFillingUpPartWayThroughABatchAnswersWithTheIdsThatWereQueued() {
        listener = (message, ip, size) -> {
            announced.add(message);
            if (announced.size() == 3) {
                spool.diskFull(true);
            }
        };
        StringBuilder body = new StringBuilder("{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [");
        for (int i = 0; i < 10; i++) {
            body.append(i == 0 ? "" : ",").append("{\"email\": \"r").append(i).append("@y.test\"}");
        }

        SubmissionResult result = json(submission(), body.append("]}").toString());

        assertThat(result).isInstanceOfSatisfying(SubmissionResult.Interrupted.class, r -> {
            assertThat(r.accepted()).containsExactlyElementsOf(announced.stream().map(SpooledMessage::id).toList());
            assertThat(r.reason().status()).isEqualTo(503);
        });
        assertThat(spool.messages()).hasSize(3);
        assertThat(spool.inProgress()).isZero();
    }

    @Test
    void aRequestBodyThatBreaksOffQueuesNothing() {
        InputStream breaking = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 100) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };

        SubmissionResult result = submission().submit("message/rfc822",
                Map.of("from", List.of("a@x.test"), "to", List.of("b@y.test")), breaking, "127.0.0.1");

        assertThat(result).isInstanceOfSatisfying(SubmissionResult.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.field()).isEqualTo("body");
        });
        assertThat(spool.messages()).isEmpty();
        assertThat(spool.inProgress()).isZero();
    }
}
