/**
 * TLS for Herald's listeners: certificates and keys from PEM files, reloaded when the files change, and a
 * self-signed certificate made on first start when none is configured.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Only TLS 1.2 and TLS 1.3 are ever negotiated ({@link org.heraldmta.tls.ServerTls#PROTOCOLS}).</li>
 *   <li>A certificate change takes effect at the next handshake; a new pair that cannot be used (half written,
 *       key not matching the certificate) is reported and the previous pair stays in use.</li>
 *   <li>Private keys written here (the self-signed one) are readable by their owner only.</li>
 *   <li>No name is ever looked up: the self-signed certificate names the configured host name.</li>
 * </ul>
 */
package org.heraldmta.tls;
