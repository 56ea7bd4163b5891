package org.heraldmta.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The inbound server's certificate ({@code [tls]}): PEM files, or neither, in which case Herald makes a self-signed
 * certificate for its host name on first start and keeps it under {@code <data_dir>/tls/}.
 *
 * @param certificate the certificate chain, server certificate first (absolute)
 * @param key         its private key: PKCS#8 or PKCS#1 RSA, or EC, unencrypted (absolute)
 */
public record TlsSettings(Optional<Path> certificate, Optional<Path> key) {

    public static final TlsSettings SELF_SIGNED = new TlsSettings(Optional.empty(), Optional.empty());

    public TlsSettings {
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("certificate and key go together");
        }
    }

    public boolean selfSigned() {
        return certificate.isEmpty();
    }
}
