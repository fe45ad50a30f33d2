package dev.paddock.security;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority: it issues the certificates an ensemble's servers present to each
 * other and that clients present on the TLS client port, and writes them as PKCS#12 key and trust
 * stores, the format Pekko's and ZooKeeper's TLS settings read by default.
 */
public final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIGNATURE = "SHA256withRSA";

  private Certificates() {}

  /** A certificate with its private key; {@code chain} starts with the certificate itself. */
  public record Issued(PrivateKey key, List<X509Certificate> chain) {
    public X509Certificate certificate() {
      return chain.get(0);
    }

    /** Writes a PKCS#12 key store holding the key and its chain under alias {@code key}. */
    public void writeKeyStore(Path file, char[] password) throws IOException {
      try {
        KeyStore store = emptyStore();
        store.setKeyEntry("key", key, password, chain.toArray(new Certificate[0]));
        save(store, file, password);
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot write key store " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** A self-signed authority whose subject is {@code CN=<commonName>}. */
  public static Issued newAuthority(String commonName, Duration validity) {
    try {
      KeyPair pair = newKeyPair();
      X500Name subject = distinguishedName("CN=" + commonName);
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
          subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = sign(builder, pair.getPrivate());
      return new Issued(pair.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a certificate authority: " + e.getMessage(), e);
    }
  }

  /**
   * A certificate for a server or client, signed by {@code authority}, usable for both ends of a
   * TLS connection. {@code subject} is a distinguished name such as {@code CN=server1,O=Paddock};
   * {@code hosts} become subject alternative names (IP addresses as such, others as DNS names).
   */
  public static Issued issue(Issued authority, String subject, List<String> hosts,
      Duration validity) {
    try {
      KeyPair pair = newKeyPair();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509Certificate ca = authority.certificate();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
          distinguishedName(subject), pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(ca))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(pair.getPublic()));
      if (!hosts.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts));
      }
      X509Certificate cert = sign(builder, authority.key());
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(cert);
      chain.addAll(authority.chain());
      return new Issued(pair.getPrivate(), List.copyOf(chain));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue " + subject + ": " + e.getMessage(), e);
    }
  }

  /** Writes a PKCS#12 trust store that trusts {@code authority}'s certificate. */
  public static void writeTrustStore(X509Certificate authority, Path file, char[] password)
      throws IOException {
    try {
      KeyStore store = emptyStore();
      store.setCertificateEntry("ca", authority);
      save(store, file, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write trust store " + file + ": " + e.getMessage(), e);
    }
  }

  private static GeneralNames alternativeNames(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      names.add(isIpLiteral(host)
          ? new GeneralName(GeneralName.iPAddress, host)
          : new GeneralName(GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      // A literal never causes a lookup; anything else was ruled out above.
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Encoded as the JDK encodes it, so the JDK prints it back exactly as written (RFC 2253). */
  private static X500Name distinguishedName(String name) {
    return X500Name.getInstance(new X500Principal(name).getEncoded());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static void save(KeyStore store, Path file, char[] password)
      throws IOException, GeneralSecurityException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
  }
}
