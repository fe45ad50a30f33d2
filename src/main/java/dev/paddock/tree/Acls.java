package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.api.Id;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ACL rules of ZooKeeper's built-in schemes: world, auth, digest, ip, super, and x509 (ids that
 * only a TLS client's certificate grants).
 */
public final class Acls {
  public static final String WORLD = "world";
  public static final String AUTH = "auth";
  public static final String DIGEST = "digest";
  public static final String IP = "ip";
  public static final String SUPER = "super";
  public static final String X509 = "x509";

  /**
   * Identical ACL lists are shared between nodes, as ZooKeeper's ACL cache does, and released
   * once no node uses them (a client that gives every node its own ACL must not grow this
   * table for good).
   */
  private static final WeakInterner<List<Acl>> INTERNED = new WeakInterner<>();

  /**
   * The interned world-open list (ZooKeeper's OPEN_ACL_UNSAFE), held for good: most znodes carry
   * it, and a node as its create left it keeps no ACL field when it has this one.
   */
  public static final List<Acl> OPEN = INTERNED.intern(Acl.OPEN_ACL_UNSAFE);

  private Acls() {}

  public static List<Acl> intern(List<Acl> acl) {
    // Most txns carry the open list (the shared one, or one read back from the log): no
    // hashing of its ACLs and no lookup for them.
    return acl == OPEN || OPEN.equals(acl) ? OPEN : INTERNED.intern(List.copyOf(acl));
  }

  /** Distinct ACL lists held for sharing: those in use, and those not yet found unused. */
  public static int internedCount() {
    return INTERNED.size();
  }

  /** ZooKeeper's digest id for "user:password": user:base64(sha1("user:password")). */
  public static String digestId(String userPassword) {
    int colon = userPassword.indexOf(':');
    String user = colon < 0 ? userPassword : userPassword.substring(0, colon);
    try {
      byte[] sha = MessageDigest.getInstance("SHA1")
          .digest(userPassword.getBytes(StandardCharsets.UTF_8));
      return user + ":" + Base64.getEncoder().encodeToString(sha);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1 is required by the Java platform", e);
    }
  }

  /**
   * Validates an ACL given on create or setACL and expands the "auth" scheme to the caller's
   * authenticated digest and x509 ids (the schemes whose ZooKeeper providers count as
   * authenticated; ip does not). Returns null when the ACL is invalid (ZooKeeper's InvalidACL).
   */
  public static List<Acl> fixup(List<Acl> requested, List<Id> authIds) {
    if (requested == null || requested.isEmpty()) {
      return null;
    }
    List<Acl> unique = new ArrayList<>();
    for (Acl a : requested) {
      if (a == null || a.id() == null || a.id().scheme() == null || a.id().id() == null) {
        return null;
      }
      if (!unique.contains(a)) {
        unique.add(a);
      }
    }
    List<Acl> out = new ArrayList<>();
    for (Acl a : unique) {
      Id id = a.id();
      if (id.scheme().equals(WORLD) && id.id().equals("anyone")) {
        out.add(a);
      } else if (id.scheme().equals(AUTH)) {
        boolean any = false;
        for (Id caller : authIds) {
          if (caller.scheme().equals(DIGEST) || caller.scheme().equals(X509)) {
            any = true;
            out.add(new Acl(a.perms(), caller));
          }
        }
        if (!any) {
          return null;
        }
      } else if (id.scheme().equals(DIGEST)) {
        if (id.id().split(":").length != 2) {
          return null;
        }
        out.add(a);
      } else if (id.scheme().equals(IP)) {
        if (!validIpExpression(id.id())) {
          return null;
        }
        out.add(a);
      } else if (id.scheme().equals(X509)) {
        if (!validDistinguishedName(id.id())) {
          return null;
        }
        out.add(a);
      } else {
        return null;
      }
    }
    return out;
  }

  /** True when the caller holds {@code perm} on a node with this ACL. */
  public static boolean permits(List<Acl> acl, int perm, List<Id> authIds) {
    if (acl == null || acl.isEmpty()) {
      return true;
    }
    for (Id caller : authIds) {
      if (caller.scheme().equals(SUPER)) {
        return true;
      }
    }
    for (Acl a : acl) {
      if ((a.perms() & perm) == 0) {
        continue;
      }
      Id id = a.id();
      if (id.scheme().equals(WORLD) && id.id().equals("anyone")) {
        return true;
      }
      for (Id caller : authIds) {
        if (caller.scheme().equals(id.scheme()) && matches(id.scheme(), caller.id(), id.id())) {
          return true;
        }
      }
    }
    return false;
  }

  public static boolean isSuper(List<Id> authIds) {
    for (Id caller : authIds) {
      if (caller.scheme().equals(SUPER)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String scheme, String callerId, String aclId) {
    return switch (scheme) {
      case DIGEST, X509 -> callerId.equals(aclId);
      case IP -> ipMatches(callerId, aclId);
      default -> false;
    };
  }

  /** ZooKeeper's X509AuthenticationProvider.isValid: whatever X500Principal can parse. */
  static boolean validDistinguishedName(String dn) {
    try {
      new javax.security.auth.x500.X500Principal(dn);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean validIpExpression(String expr) {
    String[] parts = expr.split("/", 2);
    byte[] addr = ipBytes(parts[0]);
    if (addr == null) {
      return false;
    }
    if (parts.length == 2) {
      try {
        int bits = Integer.parseInt(parts[1]);
        return bits >= 0 && bits <= addr.length * 8;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  static boolean ipMatches(String callerIp, String aclExpr) {
    String[] parts = aclExpr.split("/", 2);
    byte[] aclAddr = ipBytes(parts[0]);
    byte[] caller = ipBytes(callerIp);
    if (aclAddr == null || caller == null || aclAddr.length != caller.length) {
      return false;
    }
    int bits = aclAddr.length * 8;
    if (parts.length == 2) {
      try {
        bits = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        return false;
      }
      if (bits < 0 || bits > aclAddr.length * 8) {
        return false;
      }
    }
    for (int i = 0; i < aclAddr.length; i++) {
      int maskBits = Math.max(0, Math.min(8, bits - i * 8));
      int mask = maskBits == 0 ? 0 : (0xff << (8 - maskBits)) & 0xff;
      if ((aclAddr[i] & mask) != (caller[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a literal address the way ZooKeeper's IPAuthenticationProvider does, so an ip ACL is
   * valid and matches exactly when it would there: a string with ':' is IPv6 (eight groups of one
   * to four hex digits, or fewer around a single "::" that stands for at least one group; no
   * embedded IPv4 form, no zone), otherwise one with '.' is IPv4 (four numbers 0..255). Never
   * resolves a host name. Returns null when the string is not such an address.
   */
  static byte[] ipBytes(String s) {
    if (s == null) {
      return null;
    }
    if (s.indexOf(':') >= 0) {
      return ipv6Bytes(s);
    }
    if (s.indexOf('.') >= 0) {
      return ipv4Bytes(s);
    }
    return null;
  }

  private static byte[] ipv4Bytes(String s) {
    String[] octets = s.split("\\.", -1);
    if (octets.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v;
      try {
        v = Integer.parseInt(octets[i]);
      } catch (NumberFormatException e) {
        return null;
      }
      if (v < 0 || v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  private static byte[] ipv6Bytes(String s) {
    String[] halves = s.split("::", -1);
    String[] head;
    String[] tail;
    if (halves.length == 1) {
      head = s.split(":", -1);
      tail = new String[0];
      if (head.length != 8) {
        return null;
      }
    } else if (halves.length == 2) {
      head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
      tail = halves[1].isEmpty() ? new String[0] : halves[1].split(":", -1);
      if (head.length + tail.length >= 8) {
        return null;
      }
    } else {
      return null;
    }
    byte[] b = new byte[16];
    if (!putGroups(b, 0, head) || !putGroups(b, 16 - 2 * tail.length, tail)) {
      return null;
    }
    return b;
  }

  /** Writes 16-bit groups big-endian from {@code at}; false when a group is not 1-4 hex chars. */
  private static boolean putGroups(byte[] b, int at, String[] groups) {
    for (String g : groups) {
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      int v;
      try {
        // Integer.parseInt also takes a sign, as ZooKeeper's parser does ("-1" is 0xffff).
        v = Integer.parseInt(g, 16);
      } catch (NumberFormatException e) {
        return false;
      }
      b[at++] = (byte) (v >> 8);
      b[at++] = (byte) v;
    }
    return true;
  }
}
