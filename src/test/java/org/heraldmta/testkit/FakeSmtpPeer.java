package org.heraldmta.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scriptable SMTP server on a loopback address, port 0, for tests of the SMTP client:
 * <pre>{@code
 * FakeSmtpPeer peer = FakeSmtpPeer.start();
 * peer.on(Command.RCPT).matching("bad@").reply(550, "5.1.1 no such user");
 * peer.on(Command.RCPT).times(1).reply(451, "4.7.1 greylisted");   // only the first RCPT
 * peer.greeting(421, "4.7.0 too busy");
 * peer.on(Command.DATA).stall();                                   // never answers
 * }</pre>
 * Without a rule each command gets a plausible default reply. A rule on STARTTLS replaces the whole exchange: no
 * handshake follows even a scripted 220 (which is how a broken TLS server is played). Rules are tried in the order given; a rule with
 * {@code times(n)} stops applying after n uses. The peer records every command line, every accepted message
 * (envelope and exact bytes), connection times, and the peak number of connections open at once. Optional:
 * STARTTLS or implicit TLS with a self-signed certificate, and AUTH PLAIN/LOGIN checking a user and password.
 * Thread safe.
 */
public final class FakeSmtpPeer implements AutoCloseable {

    /** The events a rule can answer; CONNECT is the greeting and MESSAGE the end of the content. */
    public enum Command { CONNECT, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, MESSAGE, RSET, NOOP, QUIT }

    /** A message the peer accepted (250 to the final dot). */
    public record ReceivedMessage(String mailCommand, String sender, List<String> recipients, byte[] rawData,
                                  boolean overTls) {
        /** The content as the client meant it: dot-stuffing removed, CRLF line ends kept. */
        public String content() {
            String text = new String(rawData, StandardCharsets.UTF_8);
            return text.replaceAll("(?m)^\\.\\.", ".");
        }

        /** The exact bytes received between the 354 reply and the terminating CRLF . CRLF, as text. */
        public String rawText() {
            return new String(rawData, StandardCharsets.UTF_8);
        }
    }

    /** What a rule does. */
    private sealed interface Action {
        record Reply(String wire) implements Action {
        }

        record Drop() implements Action {
        }

        record Stall() implements Action {
        }

        record Freeze() implements Action {
        }

        record ReplyThenFreeze(String wire) implements Action {
        }
    }

    /** One scripted answer; see the class comment. */
    public final class Rule {
        private final Command command;
        private String pattern = "";
        private final AtomicInteger remaining = new AtomicInteger(Integer.MAX_VALUE);
        private Duration delay = Duration.ZERO;
        private volatile Action action;

        private Rule(Command command) {
            this.command = command;
        }

        /** Applies only to command lines containing {@code text} (case-insensitive). */
        public Rule matching(String text) {
            pattern = text.toLowerCase(Locale.ROOT);
            return this;
        }

        /** Applies only the first {@code count} times it matches. */
        public Rule times(int count) {
            remaining.set(count);
            return this;
        }

        /** Waits this long before acting. */
        public Rule delay(Duration wait) {
            delay = wait;
            return this;
        }

        public FakeSmtpPeer reply(int code, String text) {
            return replyRaw(code + " " + text + "\r\n");
        }

        /** A multi-line reply: every line but the last with {@code code-}. */
        public FakeSmtpPeer replyLines(int code, String... lines) {
            StringBuilder wire = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                wire.append(code).append(i == lines.length - 1 ? ' ' : '-').append(lines[i]).append("\r\n");
            }
            return replyRaw(wire.toString());
        }

        /** Sends exactly these characters (garbage, endless lines, anything a hostile server might). */
        public FakeSmtpPeer replyRaw(String wire) {
            return activate(new Action.Reply(wire));
        }

        /** Closes the connection without a reply. */
        public FakeSmtpPeer drop() {
            return activate(new Action.Drop());
        }

        /** Never answers, until the client gives up and closes the connection. */
        public FakeSmtpPeer stall() {
            return activate(new Action.Stall());
        }

        /** Replies, then stops reading: after a 354 to DATA, the client's content writes block. */
        public FakeSmtpPeer replyThenFreeze(int code, String text) {
            return activate(new Action.ReplyThenFreeze(code + " " + text + "\r\n"));
        }

        /** Stops reading and answering altogether (the client's writes block once the buffers fill). */
        public FakeSmtpPeer freeze() {
            return activate(new Action.Freeze());
        }

        private FakeSmtpPeer activate(Action chosen) {
            action = chosen;
            rules.add(this);
            return FakeSmtpPeer.this;
        }

        private boolean claims(Command seen, String line) {
            if (seen != command || !line.toLowerCase(Locale.ROOT).contains(pattern)) {
                return false;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }
    }

    private final ServerSocket server;
    private final boolean implicitTls;
    private final InstantSource clock;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final List<Instant> connectionTimes = new CopyOnWriteArrayList<>();
    private final List<String> clientAddresses = new CopyOnWriteArrayList<>();
    private final List<String> authenticated = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Thread acceptor;
    private volatile TestCertificate certificate;
    private volatile boolean startTls;
    private volatile boolean pipelining = true;
    private volatile boolean eightBitMime = true;
    private volatile boolean smtpUtf8 = true;
    private volatile long sizeLimit = 10_000_000;
    private volatile List<String> authMechanisms = List.of();
    private volatile String user;
    private volatile String password;

    private FakeSmtpPeer(String bindAddress, TestCertificate implicitTlsCertificate, InstantSource clock)
            throws IOException {
        this(bindAddress, 0, implicitTlsCertificate, clock);
    }

    private FakeSmtpPeer(String bindAddress, int port, TestCertificate implicitTlsCertificate, InstantSource clock)
            throws IOException {
        this.clock = clock;
        this.implicitTls = implicitTlsCertificate != null;
        this.certificate = implicitTlsCertificate;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(
                org.heraldmta.config.IpLiterals.toBytes(bindAddress)), port);
        this.server = implicitTls
                ? implicitTlsCertificate.serverContext().getServerSocketFactory().createServerSocket()
                : new ServerSocket();
        server.bind(address, 50);
        this.acceptor = Thread.ofVirtual().name("fake-smtp-peer-" + server.getLocalPort()).start(this::accept);
    }

    /** A plain-text peer on 127.0.0.1. */
    public static FakeSmtpPeer start() throws IOException {
        return new FakeSmtpPeer("127.0.0.1", null, InstantSource.system());
    }

    /** A plain-text peer on another loopback address, such as 127.0.0.2 or ::1. */
    public static FakeSmtpPeer startOn(String loopbackAddress) throws IOException {
        return new FakeSmtpPeer(loopbackAddress, null, InstantSource.system());
    }

    /** A plain-text peer on a given loopback address and port (to stand beside another peer on the same port). */
    public static FakeSmtpPeer startOn(String loopbackAddress, int port) throws IOException {
        return new FakeSmtpPeer(loopbackAddress, port, null, InstantSource.system());
    }

    /** A peer speaking TLS from the first byte (as on port 465) with {@code certificate}. */
    public static FakeSmtpPeer startImplicitTls(TestCertificate certificate) throws IOException {
        return new FakeSmtpPeer("127.0.0.1", certificate, InstantSource.system());
    }

    // ---- configuration ------------------------------------------------------------------------------------

    public Rule on(Command command) {
        return new Rule(command);
    }

    public FakeSmtpPeer greeting(int code, String text) {
        return on(Command.CONNECT).reply(code, text);
    }

    /** Offers STARTTLS with a fresh self-signed certificate for 127.0.0.1 and localhost. */
    public FakeSmtpPeer offerStartTls() {
        return offerStartTls(TestCertificate.selfSigned("localhost", "127.0.0.1"));
    }

    public FakeSmtpPeer offerStartTls(TestCertificate serverCertificate) {
        this.certificate = serverCertificate;
        this.startTls = true;
        return this;
    }

    /** Offers AUTH with {@code mechanisms} (PLAIN, LOGIN) and refuses MAIL until the client authenticated. */
    public FakeSmtpPeer requireAuth(String username, String secret, String... mechanisms) {
        this.user = username;
        this.password = secret;
        this.authMechanisms = List.of(mechanisms);
        return this;
    }

    public FakeSmtpPeer withoutPipelining() {
        pipelining = false;
        return this;
    }

    public FakeSmtpPeer withoutEightBitMime() {
        eightBitMime = false;
        return this;
    }

    public FakeSmtpPeer withoutSmtpUtf8() {
        smtpUtf8 = false;
        return this;
    }

    /** The SIZE limit advertised (0: SIZE without a limit). */
    public FakeSmtpPeer sizeLimit(long bytes) {
        sizeLimit = bytes;
        return this;
    }

    // ---- observations -------------------------------------------------------------------------------------

    public int port() {
        return server.getLocalPort();
    }

    public String ip() {
        return server.getInetAddress().getHostAddress();
    }

    public TestCertificate certificate() {
        return certificate;
    }

    /** Every command line received, in order, over all connections (secrets as the client sent them). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Command lines starting with {@code verb} (case-insensitive). */
    public List<String> commands(String verb) {
        String prefix = verb.toUpperCase(Locale.ROOT);
        return commands.stream().filter(c -> c.toUpperCase(Locale.ROOT).startsWith(prefix)).toList();
    }

    /**
     * Command lines grouped by how they arrived: lines the client sent together (more input was already waiting
     * when one was read) share a group. A pipelining client's MAIL and RCPTs form one group.
     */
    public List<List<String>> batches() {
        return List.copyOf(batches);
    }

    public List<ReceivedMessage> messages() {
        return List.copyOf(messages);
    }

    /** The client's IP address of each connection, in order. */
    public List<String> clientAddresses() {
        return List.copyOf(clientAddresses);
    }

    public List<Instant> connectionTimes() {
        return List.copyOf(connectionTimes);
    }

    public int connections() {
        return connectionTimes.size();
    }

    public int peakConcurrency() {
        return peak.get();
    }

    /** Users that authenticated successfully, one entry per success. */
    public List<String> authenticatedUsers() {
        return List.copyOf(authenticated);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the server ---------------------------------------------------------------------------------------

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connectionTimes.add(clock.instant());
                clientAddresses.add(socket.getInetAddress().getHostAddress());
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        int now = active.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            new Session(socket).run();
        } catch (IOException e) {
            // the client went away: nothing to record
        } finally {
            active.decrementAndGet();
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    /** One connection's state machine. */
    private final class Session {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean tls;
        private boolean authenticatedHere;
        private String mailCommand;
        private String sender;
        private final List<String> recipients = new ArrayList<>();
        private List<String> batch = new ArrayList<>();

        Session(Socket socket) throws IOException {
            use(socket);
            this.tls = implicitTls;
        }

        private void use(Socket newSocket) throws IOException {
            socket = newSocket;
            in = new BufferedInputStream(newSocket.getInputStream());
            out = newSocket.getOutputStream();
        }

        void run() throws IOException {
            if (!respond(Command.CONNECT, "", "220 fake.test ESMTP ready\r\n")) {
                return;
            }
            while (true) {
                String line = readLine();
                if (line == null) {
                    return;
                }
                commands.add(line);
                batch.add(line);
                if (in.available() == 0) {
                    batches.add(List.copyOf(batch));
                    batch = new ArrayList<>();
                }
                if (!handle(line)) {
                    return;
                }
            }
        }

        /** Handles one command; false when the connection is over. */
        private boolean handle(String line) throws IOException {
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> {
                    return respond(Command.EHLO, line, ehloReply());
                }
                case "HELO" -> {
                    return respond(Command.HELO, line, "250 fake.test\r\n");
                }
                case "STARTTLS" -> {
                    return startTls(line);
                }
                case "AUTH" -> {
                    return auth(line);
                }
                case "MAIL" -> {
                    String reply = !authMechanisms.isEmpty() && !authenticatedHere
                            ? "530 5.7.0 authentication required\r\n" : "250 2.1.0 sender ok\r\n";
                    Reply answered = answer(Command.MAIL, line, reply);
                    if (answered.positive()) {
                        mailCommand = line;
                        sender = between(line, '<', '>');
                        recipients.clear();
                    }
                    return answered.goOn();
                }
                case "RCPT" -> {
                    String reply = sender == null ? "503 5.5.1 MAIL first\r\n" : "250 2.1.5 recipient ok\r\n";
                    Reply answered = answer(Command.RCPT, line, reply);
                    if (answered.positive()) {
                        recipients.add(between(line, '<', '>'));
                    }
                    return answered.goOn();
                }
                case "DATA" -> {
                    return data(line);
                }
                case "RSET" -> {
                    sender = null;
                    recipients.clear();
                    return respond(Command.RSET, line, "250 2.0.0 reset\r\n");
                }
                case "NOOP" -> {
                    return respond(Command.NOOP, line, "250 2.0.0 ok\r\n");
                }
                case "QUIT" -> {
                    respond(Command.QUIT, line, "221 2.0.0 bye\r\n");
                    return false;
                }
                default -> {
                    send("500 5.5.2 command not recognised\r\n");
                    return true;
                }
            }
        }

        private String ehloReply() {
            List<String> lines = new ArrayList<>();
            lines.add("fake.test greets you");
            if (pipelining) {
                lines.add("PIPELINING");
            }
            lines.add(sizeLimit > 0 ? "SIZE " + sizeLimit : "SIZE");
            if (eightBitMime) {
                lines.add("8BITMIME");
            }
            if (smtpUtf8) {
                lines.add("SMTPUTF8");
            }
            if (startTls && !tls) {
                lines.add("STARTTLS");
            }
            if (!authMechanisms.isEmpty()) {
                lines.add("AUTH " + String.join(" ", authMechanisms));
            }
            StringBuilder wire = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                wire.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
            }
            return wire.toString();
        }

        private boolean startTls(String line) throws IOException {
            Rule rule = ruleFor(Command.STARTTLS, line);
            if (rule != null) {
                return perform(rule); // a scripted answer replaces STARTTLS: no handshake follows, even after 220
            }
            if (!startTls || tls) {
                send("454 4.7.0 TLS not available\r\n");
                return true;
            }
            send("220 2.0.0 go ahead\r\n");
            SSLContext context = certificate.serverContext();
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                    socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            ssl.setUseClientMode(false);
            try {
                ssl.startHandshake();
            } catch (IOException e) {
                return false;
            }
            use(ssl); // anything sent before the handshake is thrown away
            tls = true;
            sender = null;
            recipients.clear();
            return true;
        }

        private boolean auth(String line) throws IOException {
            Rule rule = ruleFor(Command.AUTH, line);
            if (rule != null) {
                return perform(rule);
            }
            String[] words = line.split(" ");
            String mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
            if (!authMechanisms.contains(mechanism)) {
                send("504 5.5.4 mechanism not offered\r\n");
                return true;
            }
            String givenUser;
            String givenPassword;
            if (mechanism.equals("PLAIN")) {
                String token = words.length > 2 ? words[2] : challenge("");
                if (token == null) {
                    return false;
                }
                String[] parts = decode(token).split("\0", -1);
                givenUser = parts.length == 3 ? parts[1] : "";
                givenPassword = parts.length == 3 ? parts[2] : "";
            } else {
                String userToken = words.length > 2 ? words[2] : challenge("VXNlcm5hbWU6");
                String passwordToken = userToken == null ? null : challenge("UGFzc3dvcmQ6");
                if (passwordToken == null) {
                    return false;
                }
                givenUser = decode(userToken);
                givenPassword = decode(passwordToken);
            }
            if (givenUser.equals(user) && givenPassword.equals(password)) {
                authenticatedHere = true;
                authenticated.add(givenUser);
                send("235 2.7.0 authentication successful\r\n");
            } else {
                send("535 5.7.8 authentication credentials invalid\r\n");
            }
            return true;
        }

        private String challenge(String text) throws IOException {
            send("334 " + text + "\r\n");
            String line = readLine();
            if (line != null) {
                commands.add(line);
            }
            return line;
        }

        private boolean data(String line) throws IOException {
            String reply = recipients.isEmpty() ? "503 5.5.1 no valid recipients\r\n" : "354 end with <CRLF>.<CRLF>\r\n";
            Reply answered = answer(Command.DATA, line, reply);
            if (!answered.goOn() || answered.code() != 354) {
                return answered.goOn();
            }
            byte[] raw = readData();
            if (raw == null) {
                return false;
            }
            ReceivedMessage received = new ReceivedMessage(mailCommand, sender, List.copyOf(recipients), raw, tls);
            // recorded before the reply goes out, so a test that saw the 250 also sees the message
            Reply end = answer(Command.MESSAGE, "", "250 2.0.0 queued as FAKE" + (messages.size() + 1) + "\r\n",
                    () -> messages.add(received));
            sender = null;
            recipients.clear();
            return end.goOn();
        }

        /** The bytes up to the line that is only a dot; null when the connection ends first. */
        private byte[] readData() throws IOException {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                line.write(b);
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    if (bytes.length == 3 && bytes[0] == '.' && bytes[1] == '\r') {
                        return data.toByteArray();
                    }
                    data.write(bytes);
                    line.reset();
                }
            }
        }

        private record Reply(int code, boolean goOn) {
            boolean positive() {
                return goOn && code >= 200 && code < 400;
            }
        }

        private Reply answer(Command command, String line, String defaultWire) throws IOException {
            return answer(command, line, defaultWire, () -> { });
        }

        /** Replies by rule or default; {@code beforePositiveReply} runs just before a 2xx/3xx reply is sent. */
        private Reply answer(Command command, String line, String defaultWire, Runnable beforePositiveReply)
                throws IOException {
            Rule rule = ruleFor(command, line);
            if (rule == null) {
                int code = codeOf(defaultWire);
                if (code >= 200 && code < 400) {
                    beforePositiveReply.run();
                }
                send(defaultWire);
                return new Reply(code, true);
            }
            int code = rule.action instanceof Action.Reply r ? codeOf(r.wire()) : 0;
            if (code >= 200 && code < 400) {
                beforePositiveReply.run();
            }
            return new Reply(code, perform(rule));
        }

        private boolean respond(Command command, String line, String defaultWire) throws IOException {
            return answer(command, line, defaultWire).goOn();
        }

        private Rule ruleFor(Command command, String line) {
            for (Rule rule : rules) {
                if (rule.claims(command, line)) {
                    return rule;
                }
            }
            return null;
        }

        private boolean perform(Rule rule) throws IOException {
            if (!rule.delay.isZero()) {
                try {
                    Thread.sleep(rule.delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            switch (rule.action) {
                case Action.Reply reply -> {
                    send(reply.wire());
                    return true;
                }
                case Action.Drop drop -> {
                    return false;
                }
                case Action.Stall stall -> {
                    while (in.read() >= 0) {
                        // swallow anything until the client hangs up
                    }
                    return false;
                }
                case Action.ReplyThenFreeze replyThenFreeze -> {
                    send(replyThenFreeze.wire());
                    freeze();
                    return false;
                }
                case Action.Freeze freeze -> {
                    freeze();
                    return false;
                }
            }
        }

        /** Neither reads nor writes until the peer is closed. */
        private void freeze() {
            while (!server.isClosed() && !socket.isClosed()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void send(String wire) throws IOException {
            out.write(wire.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                if (line.size() > 65_536) {
                    throw new IOException("command line too long");
                }
                line.write(b);
            }
        }

        private static int codeOf(String wire) {
            try {
                return Integer.parseInt(wire.substring(0, 3));
            } catch (RuntimeException e) {
                return 0;
            }
        }

        private static String between(String line, char open, char close) {
            int start = line.indexOf(open);
            int end = line.indexOf(close, start + 1);
            return start < 0 || end < 0 ? "" : line.substring(start + 1, end);
        }

        private static String decode(String base64) {
            try {
                return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
    }
}
