package org.heraldmta.smtpd;

import java.net.InetAddress;
import java.util.Optional;

/** What the session knows about its client. Used by the session's thread only. */
final class SessionState {

    private final InetAddress clientAddress;
    private String heloName;
    private boolean esmtp;
    private Transaction transaction;
    private int errors;

    SessionState(InetAddress clientAddress) {
        this.clientAddress = clientAddress;
    }

    InetAddress clientAddress() {
        return clientAddress;
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

    /** The session has no TLS yet; the security issue sets this after STARTTLS. */
    boolean tls() {
        return false;
    }

    /** The session has no AUTH yet; the security issue sets this after AUTH. */
    boolean authenticated() {
        return false;
    }

    /** Counts one error reply; returns the count so far. */
    int countError() {
        return ++errors;
    }

    void forgiveErrors() {
        errors = 0;
    }
}
