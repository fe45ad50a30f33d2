package dev.paddock.sim.check;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one key holds in {@link ZnodeModel}: absent, or a node with its value, data version and
 * ephemeral owner (0 for a persistent node). It also remembers the sessions whose close has been
 * applied here, because a closed session can no longer create its ephemeral: without that, a lost
 * create could be placed after the close and explain an ephemeral that outlived its session.
 */
public final class Znode {
  public static final Znode ABSENT = new Znode(false, null, 0, 0, new long[0]);

  private final boolean present;
  private final String value;
  private final int version;
  private final long owner;
  private final long[] closed; // sorted
  private final int hash;

  private Znode(boolean present, String value, int version, long owner, long[] closed) {
    this.present = present;
    this.value = value;
    this.version = version;
    this.owner = owner;
    this.closed = closed;
    this.hash = Objects.hash(present, value, version, owner) * 31 + Arrays.hashCode(closed);
  }

  /** A node with no sessions closed on this key. */
  public static Znode of(String value, int version, long ephemeralOwner) {
    return ABSENT.holding(value, version, ephemeralOwner);
  }

  public boolean present() {
    return present;
  }

  public String value() {
    return value;
  }

  public int version() {
    return version;
  }

  public long ephemeralOwner() {
    return owner;
  }

  boolean closedSession(long session) {
    return Arrays.binarySearch(closed, session) >= 0;
  }

  Znode holding(String newValue, int newVersion, long newOwner) {
    return new Znode(true, Objects.requireNonNull(newValue, "value"), newVersion, newOwner,
        closed);
  }

  Znode deleted() {
    return present ? new Znode(false, null, 0, 0, closed) : this;
  }

  /** The session is gone: its ephemeral here, if any, goes with it. */
  Znode closing(long session) {
    if (closedSession(session)) {
      return this;
    }
    long[] more = Arrays.copyOf(closed, closed.length + 1);
    more[closed.length] = session;
    Arrays.sort(more);
    boolean dies = present && owner == session;
    return new Znode(present && !dies, dies ? null : value, dies ? 0 : version, dies ? 0 : owner,
        more);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Znode z && z.hash == hash && z.present == present && z.version == version
        && z.owner == owner && Objects.equals(z.value, value) && Arrays.equals(z.closed, closed);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    String node = present ? "{value=" + value + ", version=" + version
        + (owner == 0 ? "" : ", ephemeral of " + owner) + "}" : "absent";
    return closed.length == 0 ? node : node + " (" + closed.length + " sessions closed)";
  }
}
