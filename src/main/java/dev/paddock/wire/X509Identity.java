package dev.paddock.wire;

import dev.paddock.api.Id;
import dev.paddock.tree.Acls;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a TLS client proves with its certificate, as ZooKeeper's X509AuthenticationProvider
 * grants it when the connection opens: {@code x509:<subject DN>}, and super when that DN is the
 * configured super user. The DN is X500Principal.getName() (RFC 2253), the form ZooKeeper uses,
 * so ACLs written for a ZooKeeper ensemble match unchanged.
 */
final class X509Identity {
  private X509Identity() {}

  /** No ids for a plaintext connection or a client that showed no certificate. */
  static List<Id> of(SSLSession session, String superUser) {
    if (session == null) {
      return List.of();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
      return List.of();
    }
    String dn = cert.getSubjectX500Principal().getName();
    List<Id> ids = new ArrayList<>();
    if (!superUser.isEmpty() && superUser.equals(dn)) {
      ids.add(new Id(Acls.SUPER, dn));
    }
    ids.add(new Id(Acls.X509, dn));
    return ids;
  }
}
