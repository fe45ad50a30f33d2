package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.api.Stat;
import java.util.List;
import java.util.Objects;

/**
 * One znode, immutable: every change builds a new node, so a tree snapshot can share nodes with
 * the live tree. {@code createCount} is how many children were ever created (ZooKeeper's stored
 * cversion); the cversion a client sees also counts deletes, derived as
 * {@code 2 * createCount - numChildren}. Sequential names use the create count.
 *
 * <p>{@code childPaths} holds each child's full path, the same {@link PathKey} instance the tree
 * is keyed by, rather than its name: a name of its own would cost a second array per znode.
 * Names are cut from the paths when a client asks for them.
 *
 * <p>Most znodes are never changed after their create and never get children (registrations,
 * locks, queue items, configuration). Such a node is held as a {@link FreshLeaf}: its mzxid and
 * pzxid are its czxid, its mtime its ctime, its versions and child count zero, so it keeps four
 * fields instead of twelve (40 bytes of heap instead of 88), five if it has an owner (48 bytes,
 * {@link OwnedFreshLeaf}). With the world-open ACL ({@link Acls#OPEN}), which most znodes
 * carry, it keeps no ACL field either: 32 bytes, 40 with an owner. {@link #of} picks the form;
 * the forms of the same values are equal.
 */
public abstract sealed class DataNode permits DataNode.Full, DataNode.FreshLeaf {
  private final byte[] data;
  private final long czxid;
  private final long ctime;

  private DataNode(byte[] data, long czxid, long ctime) {
    this.data = data;
    this.czxid = czxid;
    this.ctime = ctime;
  }

  public final byte[] data() {
    return data;
  }

  public abstract List<Acl> acl();

  public final long czxid() {
    return czxid;
  }

  public abstract long mzxid();

  public final long ctime() {
    return ctime;
  }

  public abstract long mtime();

  public abstract int version();

  public abstract int createCount();

  public abstract int aversion();

  public abstract long ephemeralOwner();

  public abstract long pzxid();

  public abstract ChildSet childPaths();

  /** A node with these values, in the smallest form that holds them. */
  public static DataNode of(
      byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, int version,
      int createCount, int aversion, long ephemeralOwner, long pzxid,
      ChildSet childPaths) {
    if (mzxid == czxid && pzxid == czxid && mtime == ctime && version == 0 && createCount == 0
        && aversion == 0 && childPaths.isEmpty()) {
      return FreshLeaf.of(data, acl, czxid, ctime, ephemeralOwner);
    }
    return new Full(data, acl, czxid, mzxid, ctime, mtime, version, createCount, aversion,
        ephemeralOwner, pzxid, childPaths);
  }

  public static DataNode create(
      byte[] data, List<Acl> acl, long zxid, long time, long ephemeralOwner) {
    return FreshLeaf.of(data, acl, zxid, time, ephemeralOwner);
  }

  public int numChildren() {
    return childPaths().size();
  }

  /** The children's names, in order. */
  public List<String> childNames() {
    return childPaths().names();
  }

  public int dataLength() {
    byte[] data = data();
    return data == null ? 0 : data.length;
  }

  public NodeKind kind() {
    return NodeKind.of(ephemeralOwner());
  }

  public Stat stat() {
    int n = numChildren();
    return new Stat(
        czxid(), mzxid(), ctime(), mtime(), version(), createCount() * 2 - n, aversion(),
        NodeKind.clientOwner(ephemeralOwner()), dataLength(), n, pzxid());
  }

  public DataNode withData(byte[] newData, int newVersion, long zxid, long time) {
    return of(
        newData, acl(), czxid(), zxid, ctime(), time, newVersion, createCount(), aversion(),
        ephemeralOwner(), pzxid(), childPaths());
  }

  public DataNode withAcl(List<Acl> newAcl, int newAversion) {
    return of(
        data(), newAcl, czxid(), mzxid(), ctime(), mtime(), version(), createCount(),
        newAversion, ephemeralOwner(), pzxid(), childPaths());
  }

  /** Adds a child; the create count and pzxid only move forward, as in ZooKeeper. */
  public DataNode withChildAdded(String childPath, int newCreateCount, long zxid) {
    return withChildAdded(childPath, null, newCreateCount, zxid);
  }

  /** As {@link #withChildAdded(String, int, long)}, listing the child by the tree's key. */
  DataNode withChildAdded(String childPath, byte[] key, int newCreateCount, long zxid) {
    boolean advance = newCreateCount > createCount();
    return of(
        data(), acl(), czxid(), mzxid(), ctime(), mtime(), version(),
        advance ? newCreateCount : createCount(), aversion(), ephemeralOwner(),
        advance ? zxid : pzxid(), childPaths().incl(childPath, key));
  }

  public DataNode withChildRemoved(String childPath, long zxid) {
    return of(
        data(), acl(), czxid(), mzxid(), ctime(), mtime(), version(), createCount(), aversion(),
        ephemeralOwner(), Math.max(zxid, pzxid()), childPaths().excl(childPath));
  }

  public DataNode withChildren(ChildSet newChildPaths) {
    return of(
        data(), acl(), czxid(), mzxid(), ctime(), mtime(), version(), createCount(), aversion(),
        ephemeralOwner(), pzxid(), newChildPaths);
  }

  /** Equal when every value is; the data by reference, as a record's array component is. */
  @Override
  public final boolean equals(Object o) {
    return o instanceof DataNode n && data() == n.data() && czxid() == n.czxid()
        && mzxid() == n.mzxid() && ctime() == n.ctime() && mtime() == n.mtime()
        && version() == n.version() && createCount() == n.createCount()
        && aversion() == n.aversion() && ephemeralOwner() == n.ephemeralOwner()
        && pzxid() == n.pzxid() && Objects.equals(acl(), n.acl())
        && childPaths().equals(n.childPaths());
  }

  @Override
  public final int hashCode() {
    return Objects.hash(System.identityHashCode(data()), acl(), czxid(), mzxid(), ctime(),
        mtime(), version(), createCount(), aversion(), ephemeralOwner(), pzxid(), childPaths());
  }

  @Override
  public final String toString() {
    return "DataNode[" + stat() + ", acl=" + acl() + "]";
  }

  /** Any node. */
  static final class Full extends DataNode {
    private final List<Acl> acl;
    private final long mzxid;
    private final long mtime;
    private final int version;
    private final int createCount;
    private final int aversion;
    private final long ephemeralOwner;
    private final long pzxid;
    private final ChildSet childPaths;

    Full(byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, int version,
        int createCount, int aversion, long ephemeralOwner, long pzxid,
        ChildSet childPaths) {
      super(data, czxid, ctime);
      this.acl = acl;
      this.mzxid = mzxid;
      this.mtime = mtime;
      this.version = version;
      this.createCount = createCount;
      this.aversion = aversion;
      this.ephemeralOwner = ephemeralOwner;
      this.pzxid = pzxid;
      this.childPaths = Objects.requireNonNull(childPaths);
    }

    @Override
    public List<Acl> acl() {
      return acl;
    }

    @Override
    public long mzxid() {
      return mzxid;
    }

    @Override
    public long mtime() {
      return mtime;
    }

    @Override
    public int version() {
      return version;
    }

    @Override
    public int createCount() {
      return createCount;
    }

    @Override
    public int aversion() {
      return aversion;
    }

    @Override
    public long ephemeralOwner() {
      return ephemeralOwner;
    }

    @Override
    public long pzxid() {
      return pzxid;
    }

    @Override
    public ChildSet childPaths() {
      return childPaths;
    }
  }

  /** A persistent node as its create left it, with no child ever created under it. */
  abstract static sealed class FreshLeaf extends DataNode
      permits FreshLeaf.WithAcl, FreshLeaf.Open, OwnedFreshLeaf {
    private FreshLeaf(byte[] data, long czxid, long ctime) {
      super(data, czxid, ctime);
    }

    static FreshLeaf of(byte[] data, List<Acl> acl, long czxid, long ctime, long owner) {
      boolean open = Acls.OPEN.equals(acl);
      if (owner == 0) {
        return open ? new Open(data, czxid, ctime) : new WithAcl(data, acl, czxid, ctime);
      }
      return open ? new OwnedFreshLeaf.Open(data, czxid, ctime, owner)
          : new OwnedFreshLeaf.WithAcl(data, acl, czxid, ctime, owner);
    }

    @Override
    public long mzxid() {
      return czxid();
    }

    @Override
    public long mtime() {
      return ctime();
    }

    @Override
    public int version() {
      return 0;
    }

    @Override
    public int createCount() {
      return 0;
    }

    @Override
    public int aversion() {
      return 0;
    }

    @Override
    public long ephemeralOwner() {
      return 0;
    }

    @Override
    public long pzxid() {
      return czxid();
    }

    @Override
    public ChildSet childPaths() {
      return ChildSet.empty();
    }

    @Override
    public int numChildren() {
      return 0;
    }

    static final class WithAcl extends FreshLeaf {
      private final List<Acl> acl;

      WithAcl(byte[] data, List<Acl> acl, long czxid, long ctime) {
        super(data, czxid, ctime);
        this.acl = acl;
      }

      @Override
      public List<Acl> acl() {
        return acl;
      }
    }

    static final class Open extends FreshLeaf {
      Open(byte[] data, long czxid, long ctime) {
        super(data, czxid, ctime);
      }

      @Override
      public List<Acl> acl() {
        return Acls.OPEN;
      }
    }
  }

  /** An ephemeral, container or TTL node as its create left it. */
  abstract static sealed class OwnedFreshLeaf extends FreshLeaf
      permits OwnedFreshLeaf.WithAcl, OwnedFreshLeaf.Open {
    private final long ephemeralOwner;

    private OwnedFreshLeaf(byte[] data, long czxid, long ctime, long ephemeralOwner) {
      super(data, czxid, ctime);
      this.ephemeralOwner = ephemeralOwner;
    }

    @Override
    public long ephemeralOwner() {
      return ephemeralOwner;
    }

    static final class WithAcl extends OwnedFreshLeaf {
      private final List<Acl> acl;

      WithAcl(byte[] data, List<Acl> acl, long czxid, long ctime, long ephemeralOwner) {
        super(data, czxid, ctime, ephemeralOwner);
        this.acl = acl;
      }

      @Override
      public List<Acl> acl() {
        return acl;
      }
    }

    static final class Open extends OwnedFreshLeaf {
      Open(byte[] data, long czxid, long ctime, long ephemeralOwner) {
        super(data, czxid, ctime, ephemeralOwner);
      }

      @Override
      public List<Acl> acl() {
        return Acls.OPEN;
      }
    }
  }
}
