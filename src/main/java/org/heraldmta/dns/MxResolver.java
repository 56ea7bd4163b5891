package org.heraldmta.dns;

import org.heraldmta.mail.Domain;

/**
 * Finds where a domain's mail goes. Blocking (call it on a virtual thread); thread safe. Never throws for anything
 * the network or the DNS server does: every failure is an answer.
 */
public interface MxResolver {

    /** The domain's mail hosts: MX records, implicit MX, null MX, no such domain, or a temporary failure. */
    MxAnswer lookupMx(Domain domain);

    /**
     * The IPv4 and IPv6 addresses of a host name. An IP literal is answered as itself without a query. Addresses are
     * built from the record bytes: the JDK's resolver is never asked.
     */
    AddressAnswer lookupAddresses(String hostname);
}
