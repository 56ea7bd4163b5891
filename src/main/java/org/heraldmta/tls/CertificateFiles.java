package org.heraldmta.tls;

import java.nio.file.Path;
import java.util.Objects;

/** Where a certificate chain and its private key are, as PEM files. */
public record CertificateFiles(Path certificate, Path key) {

    public CertificateFiles {
        Objects.requireNonNull(certificate);
        Objects.requireNonNull(key);
    }
}
