package dev.paddock.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @Test
  void anIssuedCertificateValidatesAgainstItsAuthorityAndNotAnother(@TempDir Path dir)
      throws Exception {
    Certificates.Issued ca = Certificates.newAuthority("ca", Duration.ofDays(1));
    Certificates.Issued other = Certificates.newAuthority("other", Duration.ofDays(1));
    Certificates.Issued server = Certificates.issue(ca, "CN=server1,O=Paddock",
        List.of("127.0.0.1", "localhost"), Duration.ofDays(1));

    Certificates.writeTrustStore(ca.certificate(), dir.resolve("trust.p12"), PASSWORD);
    server.writeKeyStore(dir.resolve("server1.p12"), PASSWORD);

    KeyStore trust = load(dir.resolve("trust.p12"));
    KeyStore keys = load(dir.resolve("server1.p12"));
    X509Certificate stored = (X509Certificate) keys.getCertificate("key");
    assertEquals("CN=server1,O=Paddock", stored.getSubjectX500Principal().getName());
    assertEquals(2, keys.getCertificateChain("key").length);

    validate(stored, (X509Certificate) trust.getCertificate("ca"));
    assertThrows(GeneralSecurityException.class, () -> validate(stored, other.certificate()));
  }

  private static KeyStore load(Path file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  private static void validate(X509Certificate cert, X509Certificate anchor)
      throws GeneralSecurityException {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
  }
}
