package org.heraldmta.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.heraldmta.config.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServerTls} from a PEM certificate and key that may be replaced while the server runs: before each new
 * handshake the two files are looked at (one stat each) and read again when either changed. A pair that cannot be
 * used is logged once and the last good pair stays in use.
 */
public final class ReloadingServerTls implements ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ReloadingServerTls.class);

    /** What identifies one version of a file without reading it. */
    private record Stamp(Object fileKey, FileTime modified, long size) {

        static Stamp of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        }
    }

    private record Loaded(SSLContext context, X509Certificate certificate, Stamp certificateStamp, Stamp keyStamp) {
    }

    private final CertificateFiles files;
    private Loaded current;
    private Stamp failedCertificateStamp;
    private Stamp failedKeyStamp;

    /**
     * Loads the pair now, so that a bad configuration stops the start.
     *
     * @throws IOException when the files cannot be read, are not PEM or do not belong together
     */
    public ReloadingServerTls(CertificateFiles files) throws IOException {
        this.files = Objects.requireNonNull(files);
        this.current = load(Stamp.of(files.certificate()), Stamp.of(files.key()));
    }

    /**
     * The server's TLS as configured: the {@code [tls]} files, or a self-signed certificate for {@code hostname}
     * under {@code selfSignedDir}, made now when there is none (or it no longer fits).
     */
    public static ReloadingServerTls forSettings(TlsSettings settings, Path selfSignedDir, String hostname,
                                                 InstantSource clock) throws IOException {
        CertificateFiles files = settings.selfSigned()
                ? SelfSignedCertificate.ensure(selfSignedDir, hostname, clock)
                : new CertificateFiles(settings.certificate().orElseThrow(), settings.key().orElseThrow());
        return new ReloadingServerTls(files);
    }

    @Override
    public SSLSocket wrap(Socket plain) throws IOException {
        SSLContext context = context();
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        tls.setSSLParameters(parameters);
        return tls;
    }

    /** The certificate handshakes present now (after looking for changed files). */
    public X509Certificate certificate() {
        context();
        synchronized (this) {
            return current.certificate();
        }
    }

    private synchronized SSLContext context() {
        Stamp certificateStamp;
        Stamp keyStamp;
        try {
            certificateStamp = Stamp.of(files.certificate());
            keyStamp = Stamp.of(files.key());
        } catch (NoSuchFileException e) {
            return current.context(); // being replaced by a delete and a create: keep the old pair meanwhile
        } catch (IOException e) {
            log.warn("cannot look at the TLS files: {}; keeping the current certificate", e.toString());
            return current.context();
        }
        boolean changed = !certificateStamp.equals(current.certificateStamp()) || !keyStamp.equals(current.keyStamp());
        boolean failedBefore = certificateStamp.equals(failedCertificateStamp) && keyStamp.equals(failedKeyStamp);
        if (changed && !failedBefore) {
            try {
                current = load(certificateStamp, keyStamp);
                log.info("TLS certificate reloaded from {}: {}", files.certificate(),
                        current.certificate().getSubjectX500Principal().getName());
            } catch (IOException e) {
                failedCertificateStamp = certificateStamp;
                failedKeyStamp = keyStamp;
                log.warn("new TLS certificate not used, keeping the previous one: {}", e.getMessage());
            }
        }
        return current.context();
    }

    private Loaded load(Stamp certificateStamp, Stamp keyStamp) throws IOException {
        KeyMaterial material = KeyMaterial.load(files.certificate(), files.key());
        try {
            return new Loaded(material.serverContext(), material.chain().get(0), certificateStamp, keyStamp);
        } catch (GeneralSecurityException e) {
            throw new IOException(files.certificate() + ": cannot be used for TLS: " + e.getMessage(), e);
        }
    }
}
