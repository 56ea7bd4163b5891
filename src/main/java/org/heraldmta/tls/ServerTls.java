package org.heraldmta.tls;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLSocket;

/** The server side of TLS for an accepted connection. Thread safe. */
public interface ServerTls {

    /** The protocol versions Herald accepts: TLS 1.2 and 1.3, never SSL 3, TLS 1.0 or 1.1. */
    List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Layers a server-mode TLS socket over {@code plain} with the current certificate; the handshake starts on
     * {@link SSLSocket#startHandshake()} or the first read or write. Closing the result closes {@code plain}.
     * Nothing already read from {@code plain} is passed on: bytes a client sent ahead of the handshake are the
     * caller's to throw away.
     */
    SSLSocket wrap(Socket plain) throws IOException;
}
