package org.heraldmta.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.heraldmta.config.AccessSettings;
import org.heraldmta.config.ListenAddress;
import org.heraldmta.config.SmtpSettings;
import org.heraldmta.testkit.InMemorySpool;
import org.heraldmta.testkit.SmtpDialogue;
import org.junit.jupiter.api.Test;

class SmtpServerListenTest {

    private static SmtpSettings listeningOn(ListenAddress... addresses) {
        return new SmtpSettings(List.of(addresses), 1_000_000, 100, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private static SmtpServer server(SmtpSettings settings) {
        return new SmtpServer(settings, "mx.herald.test", AccessSettings.DEFAULTS, new InMemorySpool(),
                InstantSource.system(), MessageAcceptedListener.NONE);
    }

    @Test
    void everyListenAddressIsBoundAndServes() throws IOException {
        try (SmtpServer server = server(listeningOn(new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.2", 0)))) {
            server.start();
            List<InetSocketAddress> bound = server.boundAddresses();
            assertThat(bound).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.1", "127.0.0.2");
            assertThat(server.port()).isEqualTo(bound.get(0).getPort()).isPositive();
            for (InetSocketAddress address : bound) {
                try (SmtpDialogue smtp = SmtpDialogue.connect(address)) {
                    smtp.expect("220 mx.herald.test");
                }
            }
        }
    }

    @Test
    void addressInUseFailsTheStartAndLeavesNothingBound() throws IOException {
        try (SmtpServer first = server(listeningOn(new ListenAddress("127.0.0.1", 0)))) {
            first.start();
            int taken = first.port();
            SmtpServer second = server(listeningOn(new ListenAddress("127.0.0.2", 0),
                    new ListenAddress("127.0.0.1", taken)));
            assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining("cannot listen");
            second.close();
        }
    }

    @Test
    void hostnameMustBeAUsableName() {
        assertThatThrownBy(() -> new SmtpServer(listeningOn(new ListenAddress("127.0.0.1", 0)), "two words",
                AccessSettings.DEFAULTS, new InMemorySpool(), InstantSource.system(), MessageAcceptedListener.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
