package org.heraldmta.smtp;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.heraldmta.config.RelayServer;
import org.heraldmta.config.RelayTls;
import org.heraldmta.mail.Address;
import org.heraldmta.mail.Domain;
import org.heraldmta.mail.QueueId;

/** Builds delivery requests for tests: {@code Requests.direct("example.test", port).to("a@example.test").build()}. */
final class Requests {

    static final QueueId ID = new QueueId("0123456789ABCDEF");

    private Route route;
    private String heloName = "herald.test";
    private ConnectionOptions connection = ConnectionOptions.DEFAULTS;
    private Address sender = Address.parse("sender@herald.test");
    private List<Address> recipients = List.of(Address.parse("user@example.test"));
    private byte[] content = "Subject: hello\r\n\r\nHello there.\r\n".getBytes(StandardCharsets.UTF_8);
    private boolean smtpUtf8;
    private boolean eightBit;
    private Long size;

    private Requests(Route route) {
        this.route = route;
    }

    static Requests direct(String domain, int port) {
        return new Requests(new Route.Direct(Domain.of(domain), port, false));
    }

    static Requests directRequiringTls(String domain, int port) {
        return new Requests(new Route.Direct(Domain.of(domain), port, true));
    }

    static Requests relay(RelayServer... servers) {
        return new Requests(new Route.Relay(List.of(servers)));
    }

    static RelayServer relayServer(String host, int port, RelayTls tls) {
        return new RelayServer(host, port, tls, Optional.empty(), Optional.empty());
    }

    static RelayServer relayServer(String host, int port, RelayTls tls, String user, String password) {
        return new RelayServer(host, port, tls, Optional.of(user), Optional.of(password));
    }

    Requests directTls(org.heraldmta.config.DirectTls tls) {
        Route.Direct direct = (Route.Direct) route;
        route = new Route.Direct(direct.domain(), direct.port(), tls);
        return this;
    }

    Requests helo(String name) {
        heloName = name;
        return this;
    }

    Requests connection(ConnectionOptions options) {
        connection = options;
        return this;
    }

    Requests from(String address) {
        sender = address.isEmpty() ? Address.NULL_SENDER : Address.parse(address);
        return this;
    }

    Requests to(String... addresses) {
        recipients = Arrays.stream(addresses).map(Address::parse).toList();
        return this;
    }

    Requests content(String text) {
        content = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    Requests content(byte[] bytes) {
        content = bytes.clone();
        return this;
    }

    Requests declaredSize(long bytes) {
        size = bytes;
        return this;
    }

    Requests needsSmtpUtf8() {
        smtpUtf8 = true;
        return this;
    }

    Requests eightBit() {
        eightBit = true;
        return this;
    }

    DeliveryRequest build() {
        byte[] bytes = content;
        return new DeliveryRequest(ID, 1, route, sender, recipients, () -> new ByteArrayInputStream(bytes),
                size == null ? bytes.length : size, smtpUtf8, eightBit, heloName, connection);
    }
}
