package dev.paddock.txn;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A state change decided by the leader. Txns are deterministic: applying the same txn to the same
 * tree gives the same tree on every replica, so every choice that depends on time or on pending
 * state (sequential names, versions, timestamps) is made before the txn is logged.
 */
public sealed interface Txn {

  /** A new session with its negotiated timeout; the session id travels in the entry. */
  record CreateSession(int timeoutMs) implements Txn {}

  /**
   * Ends a session and removes every ephemeral it owns when the txn is applied; the set is taken
   * from the tree at that zxid, which every replica agrees on.
   */
  record CloseSession() implements Txn {}

  /**
   * Creates a node. {@code ephemeralOwner} carries the node kind as ZooKeeper encodes it: 0 for
   * persistent, a session id for ephemeral, and the container / TTL markers of {@code NodeKind}.
   * {@code parentCVersion} is the parent's create count after this create.
   */
  record Create(byte[] key, byte[] data, List<Acl> acl, long ephemeralOwner, int parentCVersion)
      implements Txn {
    /**
     * @param key the path's UTF-8 bytes ({@link PathBytes}); the tree keeps this very array as
     *     the new znode's key, so a create in the recent history costs no second copy of it
     */
    public Create {
      key = PathBytes.canonical(Objects.requireNonNull(key, "path"));
      acl = List.copyOf(acl);
    }

    public Create(String path, byte[] data, List<Acl> acl, long ephemeralOwner,
        int parentCVersion) {
      this(PathBytes.of(path), data, acl, ephemeralOwner, parentCVersion);
    }

    public String path() {
      return PathBytes.path(key);
    }

    /** Equal paths are equal whatever arrays hold them; data compares by reference, as before. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Create c && Arrays.equals(key, c.key) && data == c.data
          && acl.equals(c.acl) && ephemeralOwner == c.ephemeralOwner
          && parentCVersion == c.parentCVersion;
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), System.identityHashCode(data), acl,
          ephemeralOwner, parentCVersion);
    }

    @Override
    public String toString() {
      return "Create[path=" + path() + ", data=" + (data == null ? "null" : data.length + " bytes")
          + ", acl=" + acl + ", ephemeralOwner=" + ephemeralOwner
          + ", parentCVersion=" + parentCVersion + "]";
    }
  }

  record Delete(String path) implements Txn {}

  /** Replaces a node's data; {@code version} is the node's version after the change. */
  record SetData(String path, byte[] data, int version) implements Txn {}

  /** Replaces a node's ACL; {@code version} is the node's aversion after the change. */
  record SetAcl(String path, List<Acl> acl, int version) implements Txn {
    public SetAcl {
      acl = List.copyOf(acl);
    }
  }

  /** A version check inside a multi; it changes nothing. */
  record Check(String path, int version) implements Txn {}

  /** A request the leader refused; it is logged so the session's replies stay in order. */
  record Error(Code code) implements Txn {}

  /** All-or-nothing: either every op is a real txn, or every op is an {@link Error}. */
  record Multi(List<Txn> ops) implements Txn {
    public Multi {
      ops = List.copyOf(ops);
    }
  }
}
