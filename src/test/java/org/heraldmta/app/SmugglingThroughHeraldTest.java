package org.heraldmta.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.heraldmta.testkit.FakeSmtpPeer;
import org.heraldmta.testkit.SmtpDialogue;
import org.heraldmta.testkit.TestHeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP smuggling judged by what actually reaches the next server: a client sends Herald a message with a fake end
 * of data and a whole second transaction behind it, in every variant; Herald relays to a receiving peer. The peer
 * must get only the honest message sent after them, once, and never the smuggled sender, recipient or text.
 */
class SmugglingThroughHeraldTest {

    private static final List<String> FAKE_ENDS = List.of("\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r\n.\r",
            "\r.\r\n", "\r\n\u0000.\r\n", "\n.\r", "\r.\n");

    @TempDir
    Path work;

    @Test
    void noSmugglingVariantGetsASecondMessageToTheReceivingServer() throws Exception {
        try (FakeSmtpPeer peer = FakeSmtpPeer.start()) {
            String relayed = TestHeraldConfig.relayEverythingTo(peer.port(), """
                    relay_attempts = 3
                    delay_after_failure = "1s"
                    """);
            try (Herald herald = TestHeraldConfig.relayOnly().start(work, relayed);
                 SmtpDialogue smtp = SmtpDialogue.connect("127.0.0.1", herald.smtpAddresses().getFirst().getPort())) {
                smtp.expect("220");
                smtp.send("EHLO client.test").expect("250");
                for (String fakeEnd : FAKE_ENDS) {
                    smtp.send("MAIL FROM:<honest@client.test>").expect("250");
                    smtp.send("RCPT TO:<friend@far.test>").expect("250");
                    smtp.send("DATA").expect("354");
                    smtp.sendRaw("Subject: first\r\n\r\nvisible" + fakeEnd
                            + "MAIL FROM:<smuggler@evil.test>\r\nRCPT TO:<victim@far.test>\r\nDATA\r\n"
                            + "Subject: smuggled\r\n\r\nsmuggled text\r\n.\r\n");
                    smtp.expect("554 5.6.0");
                }
                smtp.send("MAIL FROM:<honest@client.test>").expect("250");
                smtp.send("RCPT TO:<friend@far.test>").expect("250");
                smtp.send("DATA").expect("354");
                smtp.sendRaw("Subject: honest\r\n\r\nthe only message\r\n.\r\n").expect("250");
                smtp.send("QUIT").expect("221");

                Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
                while (peer.messages().isEmpty() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                }
                Thread.sleep(500); // anything smuggled would be queued behind it
            }
            assertThat(peer.messages()).singleElement().satisfies(m -> {
                assertThat(m.sender()).isEqualTo("honest@client.test");
                assertThat(m.recipients()).containsExactly("friend@far.test");
                assertThat(m.content()).contains("Subject: honest", "the only message")
                        .doesNotContain("smuggled", "visible");
            });
            assertThat(peer.commands("MAIL")).hasSize(1).allSatisfy(c -> assertThat(c).doesNotContain("smuggler"));
            assertThat(peer.commands("RCPT")).hasSize(1).allSatisfy(c -> assertThat(c).doesNotContain("victim"));
        }
    }
}
