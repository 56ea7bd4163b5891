package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/messages} on a running Herald, checked by what reaches the next server (a relay that records
 * envelope and content): a raw message byte for byte, a JSON message whose attachment comes back bit for bit, and a
 * personalised batch of a thousand recipients.
 */
class SendingApiEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeSmtpPeer relay;
    private Herald herald;

    @BeforeEach
    void start() throws Exception {
        relay = FakeSmtpPeer.start();
        herald = TestHeraldConfig.relayOnly().start(work, TestHeraldConfig.relayEverythingTo(relay.port(), """
                relay_attempts = 1
                max_connections = 10
                """));
    }

    @AfterEach
    void stop() throws Exception {
        herald.close();
        relay.close();
    }

    @Test
    void aRawMessageArrivesByteForByteAfterHeraldsReceivedField() throws Exception {
        String raw = "From: App <app@sender.test>\r\nTo: ann@dest.test\r\nSubject: raw\r\n"
                + "Message-ID: <raw-1@sender.test>\r\nDate: Fri, 04 Dec 2026 01:00:00 +0000\r\n\r\n"
                + ".a line that starts with a dot\r\nünïcödé body\r\n";

        HttpResponse<String> answer = post("/api/v1/messages?from=app@sender.test&to=ann@dest.test,bob@dest.test",
                "message/rfc822", raw.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        FakeSmtpPeer.ReceivedMessage arrived = awaitMessages(1).get(0);
        assertThat(arrived.sender()).isEqualTo("app@sender.test");
        assertThat(arrived.recipients()).containsExactly("ann@dest.test", "bob@dest.test");
        String content = arrived.content();
        assertThat(content).startsWith("Received: ");
        assertThat(content.substring(content.indexOf("\r\nFrom: ") + 2)).isEqualTo(raw);
    }

    @Test
    void aJsonMessageWithAnAttachmentArrivesWithTheAttachmentBitForBit() throws Exception {
        byte[] pdf = new byte[40_000];
        new Random(7).nextBytes(pdf);
        String request = JSON.writeValueAsString(Map.of(
                "from", "\"Shop\" <shop@sender.test>", "to", List.of("ann@dest.test"),
                "bcc", List.of("archive@dest.test"), "subject", "Your invoice", "text", "Attached.",
                "html", "<p>Attached.</p>", "attachments", List.of(Map.of("name", "invoice.pdf",
                        "type", "application/pdf", "content", Base64.getEncoder().encodeToString(pdf)))));

        HttpResponse<String> answer = post("/api/v1/messages", "application/json",
                request.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = JSON.readTree(answer.body()).path("ids").get(0).asText();
        FakeSmtpPeer.ReceivedMessage arrived = awaitMessages(1).get(0);
        assertThat(arrived.recipients()).containsExactlyInAnyOrder("ann@dest.test", "archive@dest.test");
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(arrived.content().getBytes(StandardCharsets.UTF_8)));
        assertThat(message.getSubject()).isEqualTo("Your invoice");
        assertThat(message.getMessageID()).isEqualTo("<" + id + "@herald.test>");
        assertThat(message.getHeader("Bcc")).isNull();
        Part attachment = findAttachment((Multipart) message.getContent());
        assertThat(attachment.getFileName()).isEqualTo("invoice.pdf");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(pdf);
    }

    @Test
    void aBatchOfAThousandRecipientsArrivesAsOnePersonalisedMessageEach() throws Exception {
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            recipients.add(Map.of("email", "user" + i + "@dest.test", "vars", Map.of("name", "User " + i,
                    "code", String.valueOf(1000 + i))));
        }
        String request = JSON.writeValueAsString(Map.of("from", "news@sender.test",
                "subject", "{{name}}, your code", "text", "Hello {{name}}, your code is {{code}}.",
                "recipients", recipients));

        HttpResponse<String> answer = post("/api/v1/messages", "application/json",
                request.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonNode ids = JSON.readTree(answer.body()).path("ids");
        assertThat(ids).hasSize(1000);
        List<FakeSmtpPeer.ReceivedMessage> arrived = awaitMessages(1000);
        Map<String, String> contentByRecipient = new HashMap<>();
        for (FakeSmtpPeer.ReceivedMessage message : arrived) {
            assertThat(message.recipients()).hasSize(1);
            contentByRecipient.put(message.recipients().get(0), message.content());
        }
        assertThat(contentByRecipient).hasSize(1000);
        for (int i : new int[] {0, 1, 499, 999}) {
            assertThat(contentByRecipient.get("user" + i + "@dest.test"))
                    .contains("Subject: User " + i + ", your code\r\n")
                    .contains("Hello User " + i + ", your code is " + (1000 + i) + ".")
                    .contains("Message-ID: <" + ids.get(i).asText() + "@herald.test>");
        }
    }

    private static Part findAttachment(Multipart multipart) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            Part part = multipart.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part;
            }
            if (part.getContent() instanceof Multipart inner) {
                Part found = findAttachment(inner);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + herald.adminAddress().getPort() + pathAndQuery);
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<FakeSmtpPeer.ReceivedMessage> awaitMessages(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (relay.messages().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(relay.messages()).as("messages at the relay").hasSize(count);
        return relay.messages();
    }
}
