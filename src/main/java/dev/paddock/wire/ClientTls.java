package dev.paddock.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.util.ByteString;

/**
 * The TLS side of the secure client port: an SSL context loaded once from the configured key and
 * trust stores, a server-mode engine per connection, and the stage that puts a connection's
 * plaintext protocol flow behind TLS. Everything that can be wrong with the stores surfaces when
 * this is built, so a server refuses to start rather than failing its first client.
 */
public final class ClientTls {
  private final ClientTlsSettings settings;
  private final SSLContext context;
  private final String[] protocols;
  private final String[] ciphers;

  private ClientTls(ClientTlsSettings settings, SSLContext context, String[] protocols,
      String[] ciphers) {
    this.settings = settings;
    this.context = context;
    this.protocols = protocols;
    this.ciphers = ciphers;
  }

  /** Loads the stores and checks protocols and cipher suites; throws Invalid naming the key. */
  public static ClientTls load(ClientTlsSettings s) {
    String key = ClientTlsSettings.PREFIX;
    SSLContext context;
    try {
      context = SSLContext.getInstance(s.protocol());
    } catch (GeneralSecurityException e) {
      throw new ClientTlsSettings.Invalid(key + "protocol", "unsupported: " + s.protocol(), e);
    }
    KeyStore keys = read(s.keyStore(), "keyStore");
    try {
      KeyManagerFactory km = KeyManagerFactory.getInstance(
          KeyManagerFactory.getDefaultAlgorithm());
      km.init(keys, s.keyStore().password().toCharArray());
      TrustManagerFactory tm = null;
      if (s.trustStore().present()) {
        tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(read(s.trustStore(), "trustStore"));
      }
      context.init(km.getKeyManagers(), tm == null ? null : tm.getTrustManagers(), null);
    } catch (GeneralSecurityException e) {
      throw new ClientTlsSettings.Invalid(key + "keyStore.password", "cannot use the key in "
          + s.keyStore().location() + ": " + e.getMessage(), e);
    }
    SSLEngine probe = context.createSSLEngine();
    String[] protocols = supported(s.protocolsToEnable(), probe.getSupportedProtocols(),
        key + (s.enabledProtocols().isEmpty() ? "protocol" : "enabledProtocols"));
    String[] ciphers = s.cipherSuites().isEmpty() ? null
        : supported(s.cipherSuites(), probe.getSupportedCipherSuites(), key + "ciphersuites");
    return new ClientTls(s, context, protocols, ciphers);
  }

  ClientTlsSettings settings() {
    return settings;
  }

  SSLEngine newEngine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    switch (settings.clientAuth()) {
      case NEED -> engine.setNeedClientAuth(true);
      case WANT -> engine.setWantClientAuth(true);
      case NONE -> engine.setNeedClientAuth(false);
    }
    engine.setEnabledProtocols(protocols);
    if (ciphers != null) {
      engine.setEnabledCipherSuites(ciphers);
    }
    return engine;
  }

  /**
   * Puts {@code plain} behind a server-side TLS session. {@code session} receives the
   * negotiated session once the handshake completes, before any of the client's bytes reach
   * {@code plain}. A client that does not speak TLS fails the handshake, which fails the
   * connection's streams and so closes it.
   */
  Flow<ByteString, ByteString, NotUsed> wrap(Flow<ByteString, ByteString, NotUsed> plain,
      AtomicReference<SSLSession> session) {
    Flow<TLSProtocol.SslTlsInbound, TLSProtocol.SslTlsOutbound, NotUsed> app =
        Flow.<TLSProtocol.SslTlsInbound>create()
            .filter(in -> in instanceof TLSProtocol.SessionBytes)
            .map(in -> ((TLSProtocol.SessionBytes) in).bytes())
            .via(plain)
            .map(TLSProtocol.SendBytes::new);
    return TLS.create(this::newEngine, session::set, TLSClosing.eagerClose()).reversed()
        .join(app);
  }

  private static KeyStore read(ClientTlsSettings.Store store, String name) {
    String key = ClientTlsSettings.PREFIX + name;
    Path file = Path.of(store.location());
    if (!Files.isReadable(file)) {
      throw new ClientTlsSettings.Invalid(key + ".location", file + " is not a readable file");
    }
    String type = store.type().isEmpty() ? typeOf(file) : store.type().toUpperCase(Locale.ROOT);
    KeyStore ks;
    try {
      ks = KeyStore.getInstance(type);
    } catch (GeneralSecurityException e) {
      throw new ClientTlsSettings.Invalid(key + ".type", "unsupported store type " + type
          + " (PKCS12 and JKS are)", e);
    }
    char[] password = store.password().isEmpty() ? null : store.password().toCharArray();
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password);
    } catch (IOException | GeneralSecurityException e) {
      boolean wrongPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
          || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password");
      throw new ClientTlsSettings.Invalid(key + (wrongPassword ? ".password" : ".location"),
          "cannot read " + type + " store " + file + ": " + e.getMessage(), e);
    }
    return ks;
  }

  /** ZooKeeper's rule: the type follows the extension, PKCS#12 when it says nothing. */
  private static String typeOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jks") ? "JKS" : "PKCS12";
  }

  private static String[] supported(List<String> wanted, String[] available, String key) {
    List<String> known = Arrays.asList(available);
    for (String w : wanted) {
      if (!known.contains(w)) {
        throw new ClientTlsSettings.Invalid(key, w + " is not supported by this JVM");
      }
    }
    return wanted.toArray(String[]::new);
  }
}
