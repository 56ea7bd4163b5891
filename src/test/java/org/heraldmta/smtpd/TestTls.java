package org.heraldmta.smtpd;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import javax.net.ssl.SSLContext;
import org.heraldmta.testkit.TestCertificates;
import org.heraldmta.tls.CertificateFiles;
import org.heraldmta.tls.ReloadingServerTls;
import org.heraldmta.tls.SelfSignedCertificate;

/** The server's self-signed certificate made as on a first start, and a client context that trusts it. */
record TestTls(ReloadingServerTls server, X509Certificate certificate, SSLContext clientTrust, CertificateFiles files) {

    static TestTls selfSigned(Path dir) throws Exception {
        CertificateFiles files = SelfSignedCertificate.ensure(dir.resolve("tls"), TestServer.HOSTNAME,
                InstantSource.system());
        X509Certificate certificate = TestCertificates.read(files.certificate());
        return new TestTls(new ReloadingServerTls(files), certificate, TestCertificates.trusting(certificate), files);
    }
}
