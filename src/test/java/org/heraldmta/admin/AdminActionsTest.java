package org.heraldmta.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heraldmta.mail.QueueId;
import org.heraldmta.qmgr.QueueEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's actions through the API, on one message, a domain and the whole queue. */
class AdminActionsTest {

    @TempDir
    Path dir;

    private AdminHarness herald;

    @BeforeEach
    void start() throws Exception {
        herald = AdminHarness.start(dir);
    }

    @AfterEach
    void stop() {
        herald.close();
    }

    private QueueEntry.State stateOf(QueueId id) {
        return herald.queue.snapshot().entries().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow()
                .state();
    }

    private static List<String> ids(JsonNode reply) {
        List<String> out = new ArrayList<>();
        reply.path("ids").forEach(id -> out.add(id.asText()));
        return out;
    }

    @Test
    void oneMessageIsHeldReleasedAndRetriedAndAnActionItsStateForbidsIsAConflict() throws Exception {
        QueueId id = herald.accept("alice@sender.test", "bob@grey.test").id();
        herald.queue.runUntilIdle();

        JsonNode held = AdminHarness.ok(herald.post("/api/v1/queue/" + id.value() + "/hold"));
        assertThat(held.path("action").asText()).isEqualTo("hold");
        assertThat(held.path("affected").asInt()).isEqualTo(1);
        assertThat(ids(held)).containsExactly(id.value());
        assertThat(stateOf(id)).isEqualTo(QueueEntry.State.HELD);
        assertThat(herald.spool.find(id).orElseThrow().held()).isTrue();

        HttpResponse<String> again = herald.post("/api/v1/queue/" + id.value() + "/hold");
        HttpResponse<String> retryHeld = herald.post("/api/v1/queue/" + id.value() + "/retry");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(retryHeld.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(retryHeld).path("error").asText()).contains("release");

        AdminHarness.ok(herald.post("/api/v1/queue/" + id.value() + "/release"));
        assertThat(herald.post("/api/v1/queue/" + id.value() + "/release").statusCode()).isEqualTo(409);
        herald.queue.runUntilIdle();
        assertThat(stateOf(id)).isEqualTo(QueueEntry.State.DEFERRED);

        AdminHarness.ok(herald.post("/api/v1/queue/" + id.value() + "/retry"));
        herald.queue.runUntilIdle();
        assertThat(herald.activity.recent().last(100, e -> id.value().equals(e.fields().get("queue_id"))))
                .as("released and retried at once: two more attempts, the third and last of direct_attempts")
                .extracting(e -> e.event()).containsExactly("received", "deferred", "held", "released", "deferred",
                        "bounced");
    }

    @Test
    void oneMessageIsDeletedOrBouncedAndAnUnknownOneIsNotFound() throws Exception {
        QueueId deleted = herald.accept("alice@sender.test", "bob@grey.test").id();
        QueueId bounced = herald.accept("alice@sender.test", "carl@grey.test").id();

        AdminHarness.ok(herald.post("/api/v1/queue/" + deleted.value() + "/delete"));
        AdminHarness.ok(herald.post("/api/v1/queue/" + bounced.value() + "/bounce"));
        herald.queue.runUntilIdle();

        assertThat(herald.spool.find(deleted)).isEmpty();
        assertThat(herald.spool.find(bounced)).isEmpty();
        assertThat(herald.activity.recent().last(100, e -> e.event().equals("bounced")))
                .extracting(e -> e.fields().get("queue_id")).containsExactly(bounced.value());
        assertThat(herald.post("/api/v1/queue/" + deleted.value() + "/delete").statusCode()).isEqualTo(404);
        assertThat(herald.post("/api/v1/queue/" + bounced.value() + "/explode").statusCode()).isEqualTo(404);
    }

    @Test
    void aDomainsMessagesAreActedOnTogetherAndTheOthersAreLeftAlone() throws Exception {
        QueueId first = herald.accept("alice@sender.test", "bob@grey.test").id();
        QueueId second = herald.accept("alice@sender.test", "carl@grey.test", "dora@other.test").id();
        QueueId other = herald.accept("alice@sender.test", "eve@other.test").id();

        JsonNode held = AdminHarness.ok(herald.post("/api/v1/queue/hold?domain=grey.test"));

        assertThat(held.path("affected").asInt()).isEqualTo(2);
        assertThat(ids(held)).containsExactlyInAnyOrder(first.value(), second.value());
        assertThat(stateOf(first)).isEqualTo(QueueEntry.State.HELD);
        assertThat(stateOf(other)).isEqualTo(QueueEntry.State.QUEUED);
        assertThat(AdminHarness.ok(herald.post("/api/v1/queue/hold?domain=grey.test")).path("affected").asInt())
                .as("already held: skipped").isZero();
    }

    @Test
    void everythingIsActedOnWithAllAndOneOfDomainOrAllIsRequired() throws Exception {
        herald.accept("alice@sender.test", "bob@grey.test");
        herald.accept("alice@sender.test", "eve@other.test");

        JsonNode deleted = AdminHarness.ok(herald.post("/api/v1/queue/delete?all=true"));

        assertThat(deleted.path("action").asText()).isEqualTo("delete");
        assertThat(deleted.path("affected").asInt()).isEqualTo(2);
        assertThat(herald.queue.size()).isZero();
        HttpResponse<String> neither = herald.post("/api/v1/queue/retry");
        HttpResponse<String> both = herald.post("/api/v1/queue/retry?all=true&domain=grey.test");
        assertThat(neither.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(neither).path("error").asText()).contains("domain").contains("all");
        assertThat(both.statusCode()).isEqualTo(400);
    }
}
