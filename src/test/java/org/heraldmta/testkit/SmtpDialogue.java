package org.heraldmta.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.heraldmta.config.IpLiterals;
import org.heraldmta.mail.SmtpReply;

/**
 * A scripted SMTP client for inbound tests: {@code send("MAIL FROM:<a@b.test>")}, {@code expect("250")}.
 * {@link #expect} reads a whole (multi-line) reply and fails the test when its first line does not start with the
 * given text. Reads time out after 10 seconds so that a silent server fails the test rather than hanging it.
 * Connects to IP literals only.
 */
public final class SmtpDialogue implements AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final List<String> transcript = new ArrayList<>();

    private SmtpDialogue(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static SmtpDialogue connect(String ipLiteral, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(IpLiterals.parse(ipLiteral), port), (int) DEFAULT_TIMEOUT.toMillis());
        return new SmtpDialogue(socket);
    }

    /** Connects from a chosen local address (any of 127.0.0.0/8 works on loopback), to test per-client rules. */
    public static SmtpDialogue connectFrom(String localIpLiteral, String ipLiteral, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(IpLiterals.parse(localIpLiteral), 0));
        socket.connect(new InetSocketAddress(IpLiterals.parse(ipLiteral), port), (int) DEFAULT_TIMEOUT.toMillis());
        return new SmtpDialogue(socket);
    }

    public static SmtpDialogue connect(InetSocketAddress address) throws IOException {
        return connect(address.getAddress().getHostAddress(), address.getPort());
    }

    /**
     * Connects and runs a TLS handshake at once (implicit TLS, RFC 8314), checking the server's certificate for
     * {@code serverName} against {@code trust}.
     */
    public static SmtpDialogue connectTls(String ipLiteral, int port, SSLContext trust, String serverName)
            throws IOException {
        SmtpDialogue dialogue = connect(ipLiteral, port);
        dialogue.handshake(trust, serverName);
        return dialogue;
    }

    /**
     * After the server's 220 reply to STARTTLS: runs the TLS handshake over the connection, checking the server's
     * certificate for {@code serverName} against {@code trust}; the dialogue then goes on under TLS.
     */
    public SmtpDialogue startTls(SSLContext trust, String serverName) throws IOException {
        handshake(trust, serverName);
        return this;
    }

    private void handshake(SSLContext trust, String serverName) throws IOException {
        // The host name is only a string for SNI and the certificate check; nothing resolves it.
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, serverName, socket.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        tls.setSSLParameters(parameters);
        tls.setUseClientMode(true);
        tls.startHandshake();
        transcript.add("-- TLS " + tls.getSession().getProtocol());
        socket = tls;
        in = new BufferedInputStream(tls.getInputStream());
        out = tls.getOutputStream();
    }

    /** The connection itself, for tests that take over the socket (their own TLS handshake, say). */
    public Socket socketForTests() {
        return socket;
    }

    /** The TLS session, when the dialogue runs over TLS. */
    public Optional<SSLSession> tlsSession() {
        return socket instanceof SSLSocket tls ? Optional.of(tls.getSession()) : Optional.empty();
    }

    /** Sends one command line; CRLF is added. */
    public SmtpDialogue send(String line) throws IOException {
        transcript.add("C: " + line);
        return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes exactly as given (nothing added). */
    public SmtpDialogue sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends text exactly as given, encoded as UTF-8 (nothing added: write your own CRLFs). */
    public SmtpDialogue sendRaw(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one whole reply and checks that its first line starts with {@code prefix} (e.g. "250" or "452 4.3.1"). */
    public SmtpReply expect(String prefix) throws IOException {
        List<String> raw = readReplyLines();
        assertThat(raw.get(0)).as("reply to the dialogue so far:%n%s", String.join("\n", transcript))
                .startsWith(prefix);
        return toReply(raw);
    }

    /** Reads one whole reply, whatever it is. */
    public SmtpReply readReply() throws IOException {
        return toReply(readReplyLines());
    }

    /** Checks that the server closes the connection (after any replies still unread, which are skipped). */
    public void expectClosed() throws IOException {
        try {
            while (readLine() != null) {
                // skip whatever the server said before closing
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + DEFAULT_TIMEOUT, e);
        } catch (IOException e) {
            // a reset is a close too
        }
    }

    /** Sets how long a read waits (default 10 seconds). */
    public SmtpDialogue readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        return this;
    }

    /** What was sent and received so far, one line per entry prefixed "C: " or "S: ". */
    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private List<String> readReplyLines() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new AssertionError("the server closed the connection; dialogue so far:\n"
                        + String.join("\n", transcript));
            }
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new AssertionError("not an SMTP reply line: " + line);
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return lines;
            }
            if (line.charAt(3) != '-') {
                throw new AssertionError("not an SMTP reply line: " + line);
            }
        }
    }

    private static SmtpReply toReply(List<String> raw) {
        int code = Integer.parseInt(raw.get(0).substring(0, 3));
        return SmtpReply.fromLines(code, raw.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList());
    }

    /** One line without its CRLF, or null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : finish(line);
            }
            if (b == '\n') {
                return finish(line);
            }
            line.write(b);
        }
    }

    private String finish(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        transcript.add("S: " + text);
        return text;
    }
}
