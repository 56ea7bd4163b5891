package org.heraldmta.smtpd;

import java.net.InetAddress;
import java.util.Optional;
import org.heraldmta.auth.User;

/** What the session knows about its client. Used by the session's thread only. */
final class SessionState {

    private final InetAddress clientAddress;
    private final InetAddress localAddress;
    private String heloName;
    private boolean esmtp;
    private Transaction transaction;
    private int errors;
    private int commands;
    private String tlsProtocol;
    private User user;

    SessionState(InetAddress clientAddress, InetAddress localAddress) {
        this.clientAddress = clientAddress;
        this.localAddress = localAddress;
    }

    InetAddress clientAddress() {
        return clientAddress;
    }

    /** The address the client connected to (ours). */
    InetAddress localAddress() {
        return localAddress;
    }

    /** The client's address as text; {@code getHostAddress} never does a lookup. */
    String clientIp() {
        return clientAddress.getHostAddress();
    }

    Optional<String> heloName() {
        return Optional.ofNullable(heloName);
    }

    boolean esmtp() {
        return esmtp;
    }

    /** EHLO or HELO: (re)starts the session and ends any transaction (RFC 5321 §4.1.4). */
    void greeted(String name, boolean extended) {
        heloName = name;
        esmtp = extended;
        transaction = null;
    }

    Optional<Transaction> transaction() {
        return Optional.ofNullable(transaction);
    }

    void begin(Transaction started) {
        transaction = started;
    }

    void reset() {
        transaction = null;
    }

    /**
     * TLS is up: everything learnt before it (greeting, transaction, authentication) is forgotten, as RFC 3207 §4.2
     * requires, since a man in the middle may have written it.
     */
    void tlsStarted(String protocol) {
        tlsProtocol = protocol;
        heloName = null;
        esmtp = false;
        transaction = null;
        user = null;
    }

    boolean tls() {
        return tlsProtocol != null;
    }

    /** The negotiated TLS version, such as {@code TLSv1.3}. */
    Optional<String> tlsProtocol() {
        return Optional.ofNullable(tlsProtocol);
    }

    void authenticated(User who) {
        user = who;
    }

    boolean authenticated() {
        return user != null;
    }

    Optional<User> user() {
        return Optional.ofNullable(user);
    }

    /** Counts one error reply; returns the count so far. */
    int countError() {
        return ++errors;
    }

    void forgiveErrors() {
        errors = 0;
    }

    /** Counts one command line; returns the count so far. */
    int countCommand() {
        return ++commands;
    }
}
