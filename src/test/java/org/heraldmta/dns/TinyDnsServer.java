package org.heraldmta.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.heraldmta.testkit.FakeZone;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A real UDP DNS server on 127.0.0.1 for tests of {@link DnsJavaResolver}: answers from zone text, and can be told
 * to answer SERVFAIL, stay silent, send garbage or a truncated answer for a name, and answers as large as a
 * datagram allows.
 */
final class TinyDnsServer implements AutoCloseable {

    private final FakeZone zone;
    private final DatagramSocket socket;
    private final Thread loop;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final Set<String> servfail = ConcurrentHashMap.newKeySet();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final Set<String> garbage = ConcurrentHashMap.newKeySet();
    private final Set<String> wrongQuestion = ConcurrentHashMap.newKeySet();
    private final Set<String> truncated = ConcurrentHashMap.newKeySet();

    TinyDnsServer(String zoneText) throws IOException {
        this.zone = FakeZone.parse(zoneText);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
        this.loop = Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    List<String> queries() {
        return List.copyOf(queries);
    }

    TinyDnsServer servfail(String name) {
        servfail.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    TinyDnsServer silent(String name) {
        silent.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    TinyDnsServer garbage(String name) {
        garbage.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    TinyDnsServer wrongQuestion(String name) {
        wrongQuestion.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Answers {@code name} with the TC bit set and no records, as for an answer too big for UDP (no TCP here). */
    TinyDnsServer truncated(String name) {
        truncated.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                String name = query.getQuestion().getName().toString(true).toLowerCase(Locale.ROOT);
                queries.add(Type.string(query.getQuestion().getType()) + " " + name);
                byte[] reply;
                if (silent.contains(name)) {
                    continue;
                } else if (garbage.contains(name)) {
                    byte[] id = Arrays.copyOf(packet.getData(), 2);
                    reply = new byte[] {id[0], id[1], (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 7, 'b', 'r'};
                } else if (servfail.contains(name)) {
                    Message response = zone.answer(query);
                    response.removeAllRecords(Section.ANSWER);
                    response.getHeader().setRcode(Rcode.SERVFAIL);
                    reply = response.toWire();
                } else if (truncated.contains(name)) {
                    Message response = zone.answer(query);
                    response.removeAllRecords(Section.ANSWER);
                    response.getHeader().setFlag(org.xbill.DNS.Flags.TC);
                    reply = response.toWire();
                } else if (wrongQuestion.contains(name)) {
                    Message other = Message.newQuery(org.xbill.DNS.Record.newRecord(
                            org.xbill.DNS.Name.fromString("other.test."), Type.A, org.xbill.DNS.DClass.IN));
                    other.getHeader().setID(query.getHeader().getID());
                    reply = zone.answer(other).toWire();
                } else {
                    reply = zone.answer(query).toWire();
                }
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
