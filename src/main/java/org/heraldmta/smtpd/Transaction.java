package org.heraldmta.smtpd;

import java.util.ArrayList;
import java.util.List;
import org.heraldmta.mail.Address;

/** One mail transaction, from MAIL to the end of DATA or RSET. Used by the session's thread only. */
final class Transaction {

    private final Address sender;
    private final boolean smtpUtf8;
    private final boolean eightBitMime;
    private final List<Address> recipients = new ArrayList<>();
    private boolean recipientTried;

    Transaction(Address sender, boolean smtpUtf8, boolean eightBitMime) {
        this.sender = sender;
        this.smtpUtf8 = smtpUtf8;
        this.eightBitMime = eightBitMime;
    }

    Address sender() {
        return sender;
    }

    boolean smtpUtf8() {
        return smtpUtf8;
    }

    boolean eightBitMime() {
        return eightBitMime;
    }

    List<Address> recipients() {
        return List.copyOf(recipients);
    }

    int recipientCount() {
        return recipients.size();
    }

    /** Adds a recipient unless it is already there (a duplicate would be delivered twice). */
    void addRecipient(Address recipient) {
        if (!recipients.contains(recipient)) {
            recipients.add(recipient);
        }
    }

    void markRecipientTried() {
        recipientTried = true;
    }

    /** True when the client sent at least one RCPT, accepted or not. */
    boolean recipientTried() {
        return recipientTried;
    }
}
