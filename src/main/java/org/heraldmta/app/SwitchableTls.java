package org.heraldmta.app;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.heraldmta.tls.ServerTls;

/**
 * The SMTP server's TLS, replaceable on reload when {@code [tls]} names other files: each new handshake uses the
 * current one, handshakes in progress finish with the one they began with.
 */
final class SwitchableTls implements ServerTls {

    private final AtomicReference<ServerTls> current;

    SwitchableTls(ServerTls initial) {
        this.current = new AtomicReference<>(initial);
    }

    void replace(ServerTls next) {
        current.set(next);
    }

    @Override
    public SSLSocket wrap(Socket plain) throws IOException {
        return current.get().wrap(plain);
    }
}
