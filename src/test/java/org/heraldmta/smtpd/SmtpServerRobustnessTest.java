package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.testkit.SmtpDialogue;
import org.junit.jupiter.api.Test;

/** Clients that stall, flood or misbehave affect only themselves. */
class SmtpServerRobustnessTest {

    @Test
    void clientThatStallsBetweenCommandsIsDisconnectedWith421() throws IOException {
        try (TestServer server = TestServer.builder().commandTimeout(Duration.ofMillis(300)).start();
             SmtpDialogue smtp = server.greeted()) {
            long start = System.nanoTime();
            smtp.expect("421 4.4.2");
            smtp.expectClosed();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void clientTricklingACommandByteByByteIsDisconnectedAfterTheCommandTimeout() throws Exception {
        try (TestServer server = TestServer.builder().commandTimeout(Duration.ofMillis(600)).start();
             SmtpDialogue smtp = server.greeted()) {
            long start = System.nanoTime();
            Thread trickler = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        smtp.sendRaw("N"); // each byte comes well within the read timeout
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // cut off, as it should be
                }
            });
            smtp.expect("421 4.4.2");
            smtp.expectClosed();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            trickler.interrupt();
        }
    }

    @Test
    void clientThatStallsInDataIsDisconnectedAndItsMessageDiscarded() throws IOException {
        try (TestServer server = TestServer.builder().dataTimeout(Duration.ofMillis(300)).start();
             SmtpDialogue smtp = server.greeted()) {
            smtp.send("MAIL FROM:<a@example.test>").expect("250");
            smtp.send("RCPT TO:<b@example.test>").expect("250");
            smtp.send("DATA").expect("354");
            smtp.sendRaw("Subject: slow\r\n\r\nand then noth");
            smtp.expect("421 4.4.2");
            smtp.expectClosed();
            Awaitility.await().until(() -> server.server.openSessions() == 0);
            assertThat(server.spool.messages()).isEmpty();
            assertThat(server.spool.inProgress()).isZero();
        }
    }

    @Test
    void serverKeepsServingOthersWhileBadClientsStallFloodAndFail() throws Exception {
        try (TestServer server = TestServer.builder().start();
             SmtpDialogue staller = server.greeted();
             SmtpDialogue flooder = server.greeted()) {
            staller.send("MAIL FROM:<a@example.test>").expect("250");
            staller.send("RCPT TO:<b@example.test>").expect("250");
            staller.send("DATA").expect("354");
            staller.sendRaw("Subject: never finished\r\n");
            flooder.sendRaw("X".repeat(512 * SmtpInput.FLOOD_FACTOR + 10));
            flooder.expect("421 4.7.0");

            try (SmtpDialogue good = server.greeted()) {
                good.send("MAIL FROM:<a@example.test>").expect("250");
                good.send("RCPT TO:<b@example.test>").expect("250");
                good.send("DATA").expect("354");
                good.sendRaw("Subject: fine\r\n\r\nok\r\n.\r\n").expect("250");
            }
            assertThat(server.onlyContent()).contains("Subject: fine");
        }
    }

    @Test
    void clientThatStopsReadingRepliesIsCutOffAfterTheCommandTimeout() throws Exception {
        try (TestServer server = TestServer.builder().commandTimeout(Duration.ofMillis(500)).start();
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(IpLiterals.parse("127.0.0.1"), server.port()));
            socket.setSoTimeout(100);
            byte[] noops = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        out.write(noops); // never read a reply: the server's writes must block
                    }
                } catch (IOException expected) {
                    // the server cut us off
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.server.openSessions() == 0 && !writer.isAlive());
        }
    }

    @Test
    void manyClientsAtOnceAllGetTheirMessagesSpooled() throws Exception {
        int clients = 20;
        int perClient = 5;
        try (TestServer server = TestServer.start();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                Callable<Integer> task = () -> {
                    try (SmtpDialogue smtp = server.greeted()) {
                        for (int m = 0; m < perClient; m++) {
                            smtp.send("MAIL FROM:<c" + client + "@example.test>").expect("250");
                            smtp.send("RCPT TO:<r@example.test>").expect("250");
                            smtp.send("DATA").expect("354");
                            smtp.sendRaw("Subject: " + client + "/" + m + "\r\n\r\nbody\r\n.\r\n").expect("250");
                        }
                        smtp.send("QUIT").expect("221");
                    }
                    return perClient;
                };
                results.add(pool.submit(task));
            }
            int sent = 0;
            for (Future<Integer> result : results) {
                sent += result.get();
            }
            assertThat(server.spool.messages()).hasSize(sent).hasSize(clients * perClient);
            assertThat(server.accepted).hasSize(clients * perClient);
        }
    }

    @Test
    void stopClosesOpenSessionsAndFreesThePort() throws IOException {
        TestServer server = TestServer.start();
        try (SmtpDialogue smtp = server.greeted()) {
            server.close();
            smtp.expectClosed();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.server.openSessions() == 0);
        }
    }
}
