package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.security.NoSuchAlgorithmException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.apache.zookeeper.server.auth.IPAuthenticationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The world, auth, digest, ip and super schemes, checked against ZooKeeper's own providers. */
class AclsTest {
  private static final IPAuthenticationProvider ZK_IP = new IPAuthenticationProvider();
  private static final ch.qos.logback.classic.Logger ZK_IP_LOG =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(IPAuthenticationProvider.class);
  private static ch.qos.logback.classic.Level savedLevel;

  /** ZooKeeper warns once per malformed address, and the differential tests feed it thousands. */
  @BeforeAll
  static void quietZooKeepersAddressParser() {
    savedLevel = ZK_IP_LOG.getLevel();
    ZK_IP_LOG.setLevel(ch.qos.logback.classic.Level.ERROR);
  }

  @AfterAll
  static void restoreZooKeepersAddressParser() {
    ZK_IP_LOG.setLevel(savedLevel);
  }

  private static Id digest(String userPassword) {
    return new Id(Acls.DIGEST, Acls.digestId(userPassword));
  }

  private static Id ip(String addr) {
    return new Id(Acls.IP, addr);
  }

  // ---- digest ----

  @ParameterizedTest
  @ValueSource(strings = {"alice:secret", "super:admin", "user:", ":password", "a:b:c",
      "no-colon", "", "j\u00fcrgen:p\u00e4ssw\u00f6rd", "\u4e2d\u6587:\u5bc6\u7801"})
  void digestIdMatchesZooKeepersGenerateDigest(String userPassword)
      throws NoSuchAlgorithmException {
    assertEquals(DigestAuthenticationProvider.generateDigest(userPassword),
        Acls.digestId(userPassword));
  }

  @Test
  void digestIdIsUserColonBase64Sha1OfTheWholeCredential() {
    // sha1("alice:secret") in base64, as printed by `zkCli.sh` / DigestAuthenticationProvider.
    String id = Acls.digestId("alice:secret");
    assertTrue(id.startsWith("alice:"));
    assertEquals(28, id.length() - "alice:".length(), "20 bytes of SHA-1 in padded base64");
  }

  // ---- ip ----

  @ParameterizedTest
  @CsvSource({
      "10.1.2.3, 10.1.2.3, true",
      "10.1.2.4, 10.1.2.3, false",
      "10.1.2.3, 10.1.0.0/16, true",
      "10.2.2.3, 10.1.0.0/16, false",
      "10.1.2.3, 10.1.2.3/32, true",
      "10.1.2.2, 10.1.2.3/31, true",
      "10.1.2.4, 10.1.2.3/31, false",
      "10.1.15.255, 10.1.0.0/20, true",
      "10.1.16.0, 10.1.0.0/20, false",
      "127.0.0.1, 0.0.0.0/0, true",
      "200.0.0.1, 128.0.0.0/1, true",
      "100.0.0.1, 128.0.0.0/1, false",
      "::1, ::1, true",
      "0:0:0:0:0:0:0:1, ::1, true",
      "2001:db8:0:0:0:0:0:7, 2001:db8::/32, true",
      "2001:db9::7, 2001:db8::/32, false",
      "fe80::1234, fe80::/10, true",
      "febf::1, fe80::/10, true",
      "fec0::1, fe80::/10, false",
      "2001:db8::1, 2001:db8::1/128, true",
      "2001:db8::2, 2001:db8::1/127, false",
      "2001:db8::1, ::/0, true",
      "10.1.2.3, ::/0, false",
      "::1, 0.0.0.0/0, false",
      "10.1.2.3, 10.1.2.3/33, false",
      "10.1.2.3, 10.1.2.3/-1, false",
      "10.1.2.3, 10.1.2.3/x, false",
      "not-an-ip, 0.0.0.0/0, false"})
  void ipMatchingUsesMaskedBitsOfTheSameFamily(String caller, String acl, boolean match) {
    assertEquals(match, Acls.ipMatches(caller, acl), caller + " vs " + acl);
    assertEquals(ZK_IP.matches(caller, acl), Acls.ipMatches(caller, acl), "ZooKeeper disagrees");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "::1",
      "::", "::/0", "fe80::/10", "2001:db8:0:0:0:0:0:1", "2001:db8::1/128", "1::", "1:2:3:4:5:6:7::",
      "::2:3:4:5:6:7:8", "ABCD:ef01::"})
  void wellFormedIpExpressionsAreValid(String expr) {
    assertTrue(Acls.validIpExpression(expr), expr);
    assertTrue(ZK_IP.isValid(expr));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0", "10.0.0.0.1", "256.0.0.1", "10.0.0.1/33", "10.0.0.1/",
      "10.0.0.1/x", "::/129", "1::2::3", "12345::1", "g::1", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7", "1:2:3:4::5:6:7:8", ":1", "1:", ".:1", "host.example", "localhost",
      "fe80::1%eth0", "10.0.0.1 "})
  void malformedIpExpressionsAreInvalidLikeInZooKeeper(String expr) {
    assertFalse(ZK_IP.isValid(expr), "ZooKeeper accepts " + expr);
    assertFalse(Acls.validIpExpression(expr), expr);
  }

  @Test
  void ipParsingAgreesWithZooKeeperOnRandomExpressions() {
    String[] pieces = {"1", "10", "255", "256", "0", "ff", "FFFF", "12345", "g", "", ".", ":",
        "::", "/", "/8", "/0", "/33", "/128", "/129", "+1", "-1", "0001", "db8", "2001"};
    Random rnd = new Random(11);
    for (int i = 0; i < 30_000; i++) {
      String expr = randomAddress(rnd, pieces);
      String caller = rnd.nextBoolean() ? randomAddress(rnd, pieces) : expr.split("/", 2)[0];
      assertEquals(ZK_IP.isValid(expr), Acls.validIpExpression(expr), "valid " + expr);
      assertEquals(ZK_IP.matches(caller, expr), Acls.ipMatches(caller, expr),
          caller + " vs " + expr);
    }
  }

  private static String randomAddress(Random rnd, String[] pieces) {
    StringBuilder sb = new StringBuilder();
    if (rnd.nextBoolean()) {
      int n = rnd.nextInt(2) == 0 ? 4 : 1 + rnd.nextInt(6);
      for (int j = 0; j < n; j++) {
        sb.append(j == 0 ? "" : ".").append(pieces[rnd.nextInt(5)]);
      }
    } else {
      int n = 1 + rnd.nextInt(9);
      for (int j = 0; j < n; j++) {
        sb.append(j == 0 ? "" : rnd.nextInt(6) == 0 ? "::" : ":")
            .append(pieces[rnd.nextInt(rnd.nextBoolean() ? 5 : pieces.length)]);
      }
    }
    if (rnd.nextInt(3) == 0) {
      sb.append(pieces[13 + rnd.nextInt(6)]);
    }
    return sb.toString();
  }

  // ---- fixup (create / setACL validation) ----

  @Test
  void fixupRejectsNullEmptyAndMalformedLists() {
    assertNull(Acls.fixup(null, List.of()));
    assertNull(Acls.fixup(List.of(), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, new Id("world", "everyone"))), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, new Id("sasl", "x"))), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, new Id(Acls.SUPER, ""))), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, new Id(Acls.DIGEST, "x"))), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, new Id(Acls.DIGEST, "a:b:c"))), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, ip("1.2.3.4/40"))), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, new Id(null, "x"))), List.of()));
    assertNull(Acls.fixup(List.of(new Acl(Perms.ALL, new Id(Acls.IP, null))), List.of()));
    List<Acl> withNull = new ArrayList<>();
    withNull.add(null);
    assertNull(Acls.fixup(withNull, List.of()));
  }

  @Test
  void fixupAcceptsDigestIdsThatZooKeeperCountsAsTwoParts() {
    // ZooKeeper splits on ':' and drops trailing empty strings, so "a:b:" has two parts.
    for (String id : List.of("a:b", ":b", "a:b:")) {
      assertEquals(List.of(new Acl(1, new Id(Acls.DIGEST, id))),
          Acls.fixup(List.of(new Acl(1, new Id(Acls.DIGEST, id))), List.of()), id);
    }
  }

  @Test
  void fixupKeepsOrderDropsDuplicatesAndExpandsAuth() {
    Id alice = digest("alice:pw");
    Id alice2 = digest("alice2:pw");
    List<Acl> requested = List.of(
        new Acl(Perms.READ, Id.ANYONE),
        new Acl(Perms.ALL, Id.AUTH_IDS),
        new Acl(Perms.READ, Id.ANYONE),
        new Acl(Perms.WRITE, ip("10.0.0.0/8")));
    List<Id> callerIds = List.of(ip("10.0.0.1"), alice, new Id(Acls.SUPER, ""), alice2);
    assertEquals(List.of(
        new Acl(Perms.READ, Id.ANYONE),
        new Acl(Perms.ALL, alice),
        new Acl(Perms.ALL, alice2),
        new Acl(Perms.WRITE, ip("10.0.0.0/8"))), Acls.fixup(requested, callerIds));
  }

  @Test
  void authWithoutAnyDigestIdentityIsInvalid() {
    assertNull(Acls.fixup(Acl.CREATOR_ALL_ACL, List.of(ip("10.0.0.1"))));
    assertNull(Acls.fixup(Acl.CREATOR_ALL_ACL, List.of(new Id(Acls.SUPER, ""))));
    assertNull(Acls.fixup(Acl.CREATOR_ALL_ACL, List.of()));
  }

  // ---- permits (enforcement) ----

  @Test
  void permitsNeedsAnEntryWithTheBitThatMatchesTheCaller() {
    Id alice = digest("alice:pw");
    List<Acl> acl = List.of(new Acl(Perms.READ, Id.ANYONE), new Acl(Perms.WRITE, alice),
        new Acl(Perms.DELETE, ip("10.0.0.0/8")));
    assertTrue(Acls.permits(acl, Perms.READ, List.of()));
    assertFalse(Acls.permits(acl, Perms.WRITE, List.of()));
    assertTrue(Acls.permits(acl, Perms.WRITE, List.of(alice)));
    assertFalse(Acls.permits(acl, Perms.WRITE, List.of(new Id(Acls.DIGEST, "alice:pw"))));
    assertFalse(Acls.permits(acl, Perms.DELETE, List.of(alice)));
    assertTrue(Acls.permits(acl, Perms.DELETE, List.of(ip("10.9.9.9"))));
    assertFalse(Acls.permits(acl, Perms.DELETE, List.of(ip("11.0.0.1"))));
    assertFalse(Acls.permits(acl, Perms.ADMIN, List.of(alice, ip("10.0.0.1"))));
    assertFalse(Acls.permits(acl, Perms.WRITE, List.of(new Id(Acls.IP, alice.id()))),
        "an id only matches entries of its own scheme");
  }

  @Test
  void superIdentityAndEmptyAclPermitEverything() {
    List<Acl> none = List.of(new Acl(0, Id.ANYONE));
    assertTrue(Acls.permits(none, Perms.ADMIN, List.of(new Id(Acls.SUPER, ""))));
    assertTrue(Acls.isSuper(List.of(ip("1.1.1.1"), new Id(Acls.SUPER, ""))));
    assertFalse(Acls.isSuper(List.of(digest("super:pw"))));
    assertFalse(Acls.permits(none, Perms.READ, List.of(digest("super:pw"))));
    assertTrue(Acls.permits(List.of(), Perms.ADMIN, List.of()));
  }

  @Test
  void worldOnlyMatchesAnyone() {
    assertFalse(Acls.permits(List.of(new Acl(Perms.ALL, new Id("world", "someone"))),
        Perms.READ, List.of(new Id("world", "someone"))));
  }

  @Test
  void internSharesEqualLists() {
    List<Acl> a = Acls.intern(new ArrayList<>(Acl.OPEN_ACL_UNSAFE));
    List<Acl> b = Acls.intern(List.of(new Acl(Perms.ALL, new Id("world", "anyone"))));
    assertSame(a, b);
  }

  /**
   * A tree that gave thousands of nodes their own ACL and deleted them again leaves nothing
   * behind in the interning table once no version of the tree holds those nodes.
   */
  @Test
  void aclsNoNodeUsesAreReleased() {
    DataTree tree = new DataTree();
    List<WeakReference<List<Acl>>> interned = new ArrayList<>();
    long zxid = 0;
    for (int i = 0; i < 2000; i++) {
      List<Acl> own = List.of(new Acl(Perms.ALL, new Id("digest", "user" + i + ":hash")));
      tree.apply(new TxnEntry(++zxid, 1, 0, 0, new Txn.Create("/n" + i, null,
          new ArrayList<>(own), 0, i + 1)));
      interned.add(new WeakReference<>(tree.get("/n" + i).acl()));
    }
    int whileUsed = Acls.internedCount();
    assertTrue(whileUsed >= 2000, "interned: " + whileUsed);
    for (int i = 0; i < 2000; i++) {
      tree.apply(new TxnEntry(++zxid, 1, 0, 0, new Txn.Delete("/n" + i)));
    }
    // Cleared references reach the table's queue a moment after the collection clears them.
    long deadline = System.nanoTime() + 20_000_000_000L;
    while ((interned.stream().anyMatch(r -> r.get() != null)
        || Acls.internedCount() > whileUsed - 1900) && System.nanoTime() < deadline) {
      System.gc();
    }
    assertTrue(interned.stream().allMatch(r -> r.get() == null), "ACL lists still held");
    assertTrue(Acls.internedCount() <= whileUsed - 1900,
        "table not released: " + Acls.internedCount() + " of " + whileUsed);
    // Interning is still sharing: equal lists in use are one instance.
    List<Acl> again = Acls.intern(List.of(new Acl(Perms.ALL, new Id("digest", "user7:hash"))));
    assertSame(again, Acls.intern(new ArrayList<>(again)));
  }

  @Test
  void x509AclsNameADistinguishedNameAndMatchItExactly() {
    Id alice = new Id(Acls.X509, "CN=alice,O=Paddock");
    List<Acl> acl = Acls.fixup(List.of(new Acl(Perms.READ, alice)), List.of());
    assertEquals(List.of(new Acl(Perms.READ, alice)), acl);
    assertNull(Acls.fixup(List.of(new Acl(Perms.READ, new Id(Acls.X509, "not a dn"))),
        List.of()));
    assertTrue(Acls.permits(acl, Perms.READ, List.of(new Id(Acls.IP, "127.0.0.1"), alice)));
    assertFalse(Acls.permits(acl, Perms.READ,
        List.of(new Id(Acls.X509, "CN=bob,O=Paddock"))));
    assertFalse(Acls.permits(acl, Perms.READ, List.of(new Id(Acls.X509, "CN=alice"))));
    assertFalse(Acls.permits(acl, Perms.WRITE, List.of(alice)));
    // An x509 id only ever comes from a certificate, never matches another scheme's id.
    assertFalse(Acls.permits(acl, Perms.READ, List.of(new Id(Acls.DIGEST, alice.id()))));
  }

  @Test
  void theAuthSchemeTakesCertificateIdsButNotAddresses() {
    Id alice = new Id(Acls.X509, "CN=alice,O=Paddock");
    assertEquals(List.of(new Acl(Perms.ALL, alice)), Acls.fixup(
        List.of(new Acl(Perms.ALL, new Id(Acls.AUTH, ""))),
        List.of(new Id(Acls.IP, "127.0.0.1"), alice)));
  }
}
