package org.heraldmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.QueueId;
import org.heraldmta.spool.SpooledMessage;
import org.heraldmta.testkit.InMemorySpool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sending API over real HTTP: a standalone Javalin 7 on a loopback port and the JDK's HTTP client. */
class SendingApiHandlerTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-03T12:00:00Z"));

    @TempDir
    Path scratch;

    private final ObjectMapper json = new ObjectMapper();
    private final InMemorySpool spool = new InMemorySpool(CLOCK);
    private final List<SpooledMessage> announced = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile int fillTheDiskAfter = Integer.MAX_VALUE;
    private Javalin server;

    @BeforeEach
    void start() {
        MessageSubmission submission = new MessageSubmission(spool, "mail.herald.test",
                new SubmissionLimits(2 * 1024 * 1024, 100, 8 * 1024 * 1024, 64 * 1024), scratch, CLOCK,
                (message, ip, size) -> {
                    synchronized (announced) {
                        announced.add(message);
                        if (announced.size() == fillTheDiskAfter) {
                            spool.diskFull(true);
                        }
                    }
                });
        SendingApiHandler handler = new SendingApiHandler(submission);
        server = Javalin.create(config -> handler.register(config.routes)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
        client.close();
    }

    private HttpResponse<String> post(String contentType, String query, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + SendingApiHandler.PATH + query))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<QueueId> ids(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        List<QueueId> ids = new ArrayList<>();
        json.readTree(response.body()).get("ids").forEach(id -> ids.add(QueueId.parse(id.asText())));
        return ids;
    }

    private MimeMessage parse(QueueId id) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(spool.content(id)));
    }

    @Test
    void aRawMessageLargerThanAMegabyteIsStoredByteForByteAfterHeraldsReceivedField() throws Exception {
        StringBuilder message = new StringBuilder("From: app@sender.test\r\nTo: ann@a.test\r\nSubject: report\r\n"
                + "Message-ID: <r1@sender.test>\r\nDate: Mon, 1 Dec 2026 08:00:00 +0000\r\n\r\n");
        while (message.length() < 1_500_000) {
            message.append("A line of the report, long enough to need a few of them.\r\n");
        }
        byte[] sent = message.toString().getBytes(StandardCharsets.US_ASCII);

        List<QueueId> ids = ids(post("message/rfc822", "?from=app@sender.test&to=ann@a.test&to=bob@b.test", sent));

        assertThat(ids).hasSize(1);
        String stored = spool.contentAsString(ids.get(0));
        assertThat(stored).startsWith("Received: from http ([127.0.0.1])\r\n");
        assertThat(stored.substring(stored.indexOf("From: "))).isEqualTo(message.toString());
        assertThat(spool.find(ids.get(0)).orElseThrow().envelope().recipients()).extracting(Address::toString)
                .containsExactly("ann@a.test", "bob@b.test");
        assertThat(announced).extracting(SpooledMessage::id).containsExactlyElementsOf(ids);
    }

    @Test
    void aJsonMessageWithAnAttachmentParsesBackWithEveryPartByteForByte() throws Exception {
        byte[] attachment = new byte[100_000];
        new Random(8).nextBytes(attachment);
        ObjectNode request = json.createObjectNode()
                .put("from", "\"Shop\" <shop@sender.test>")
                .put("subject", "Your invoice ✓")
                .put("text", "Dear Ann,\nthe invoice is attached.\n")
                .put("html", "<p>Dear Ann,</p><p>the invoice is attached.</p>")
                .put("reply_to", "help@sender.test");
        request.putArray("to").add("Ann Example <ann@a.test>");
        request.putArray("bcc").add("archive@sender.test");
        request.putObject("headers").put("X-Campaign", "december");
        request.putArray("attachments").addObject()
                .put("name", "invoice.pdf").put("type", "application/pdf")
                .put("content", Base64.getEncoder().encodeToString(attachment));

        List<QueueId> ids = ids(post("application/json", "", json.writeValueAsBytes(request)));

        MimeMessage message = parse(ids.get(0));
        assertThat(message.getMessageID()).isEqualTo("<" + ids.get(0) + "@mail.herald.test>");
        assertThat(message.getSentDate().toInstant()).isEqualTo(CLOCK.instant());
        assertThat(message.getSubject()).isEqualTo("Your invoice ✓");
        assertThat(message.getHeader("X-Campaign", ",")).isEqualTo("december");
        assertThat(message.getHeader("Bcc")).isNull();
        assertThat(message.getReplyTo()[0].toString()).isEqualTo("help@sender.test");
        MimeMultipart mixed = (MimeMultipart) message.getContent();
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Dear Ann,\r\nthe invoice is attached.\r\n");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>Dear Ann,</p><p>the invoice is attached.</p>");
        BodyPart file = mixed.getBodyPart(1);
        assertThat(file.getFileName()).isEqualTo("invoice.pdf");
        assertThat(file.getContentType()).startsWith("application/pdf");
        assertThat(file.getInputStream().readAllBytes()).isEqualTo(attachment);
        assertThat(spool.find(ids.get(0)).orElseThrow().envelope().recipients()).extracting(Address::toString)
                .containsExactly("ann@a.test", "archive@sender.test");
    }

    @Test
    void aBatchOfAThousandRecipientsQueuesOnePersonalisedMessageEachAndReturnsTheirIds() throws Exception {
        ObjectNode request = json.createObjectNode()
                .put("from", "news@sender.test")
                .put("subject", "{{name}}, your code")
                .put("text", "Hello {{name}}, your code is {{code}}.\n")
                .put("html", "<p>Hello {{name}}, your code is <b>{{code}}</b>.</p>");
        ArrayNode recipients = request.putArray("recipients");
        for (int i = 0; i < 1000; i++) {
            recipients.addObject().put("email", "user" + i + "@r" + (i % 7) + ".test")
                    .putObject("vars").put("name", "User " + i).put("code", 10_000 + i);
        }

        List<QueueId> ids = ids(post("application/json", "", json.writeValueAsBytes(request)));

        assertThat(ids).hasSize(1000);
        assertThat(new HashSet<>(ids)).hasSize(1000);
        assertThat(spool.messages()).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            MimeMessage message = parse(ids.get(i));
            assertThat(message.getSubject()).isEqualTo("User " + i + ", your code");
            assertThat(message.getRecipients(MimeMessage.RecipientType.TO)[0].toString())
                    .isEqualTo("user" + i + "@r" + (i % 7) + ".test");
            MimeMultipart alternative = (MimeMultipart) message.getContent();
            assertThat(alternative.getBodyPart(0).getContent())
                    .isEqualTo("Hello User " + i + ", your code is " + (10_000 + i) + ".\r\n");
            assertThat((String) alternative.getBodyPart(1).getContent()).contains("<b>" + (10_000 + i) + "</b>");
            assertThat(spool.find(ids.get(i)).orElseThrow().envelope().recipients()).extracting(Address::toString)
                    .containsExactly("user" + i + "@r" + (i % 7) + ".test");
        }
        assertThat(announced).extracting(SpooledMessage::id).containsExactlyElementsOf(ids);
    }

    @Test
    void aWrongFieldIsAnsweredWith400NamingIt() throws Exception {
        HttpResponse<String> response = post("application/json", "",
                "{\"from\": \"a@x.test\", \"to\": [\"b@y.test\", \"nope\"], \"text\": \"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("field").asText()).isEqualTo("to[1]");
        assertThat(body.get("error").asText()).startsWith("to[1]: ").contains("nope");
        assertThat(body.has("ids")).isFalse();
    }

    @Test
    void anUnknownContentTypeIsAnsweredWith415() throws Exception {
        HttpResponse<String> response = post("text/plain", "", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json.readTree(response.body()).get("field").asText()).isEqualTo("Content-Type");
    }

    @Test
    void aMessageOverTheSizeLimitIsAnsweredWith413() throws Exception {
        byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> response = post("message/rfc822", "?from=a@x.test&to=b@y.test", big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json.readTree(response.body()).get("error").asText()).contains("max_message_size");
        assertThat(spool.messages()).isEmpty();
    }

    @Test
    void aFullDiskIsAnsweredWith503AndRetryAfterWithNoIds() throws Exception {
        spool.diskFull(true);

        HttpResponse<String> response = post("application/json", "",
                "{\"from\": \"a@x.test\", \"to\": \"b@y.test\", \"text\": \"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(json.readTree(response.body()).has("ids")).isFalse();
        assertThat(spool.messages()).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void aBatchThatTheDiskStopsPartWayAnswers503WithTheIdsItQueued() throws Exception {
        fillTheDiskAfter = 2;
        String batch = "{\"from\": \"a@x.test\", \"text\": \"x\", \"recipients\": [{\"email\": \"1@y.test\"},"
                + " {\"email\": \"2@y.test\"}, {\"email\": \"3@y.test\"}, {\"email\": \"4@y.test\"}]}";

        HttpResponse<String> response = post("application/json", "", batch.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(503);
        List<String> ids = new ArrayList<>();
        json.readTree(response.body()).get("ids").forEach(id -> ids.add(id.asText()));
        assertThat(ids).containsExactlyElementsOf(announced.stream().map(m -> m.id().value()).toList()).hasSize(2);
        assertThat(spool.messages()).hasSize(2);
    }

    @Test
    void anIpv6ClientIsNamedByItsBareLiteral() {
        assertThat(SendingApiHandler.clientIp("[0:0:0:0:0:0:0:1]")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(SendingApiHandler.clientIp("127.0.0.1")).isEqualTo("127.0.0.1");
    }
}
