package dev.paddock.tree;

import static dev.paddock.tree.PersistentColls.emptyMap;
import static dev.paddock.tree.PersistentColls.emptySet;


import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.EventType;
import dev.paddock.api.WatchEvent;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.util.ArrayList;
import java.util.List;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashSet;

/**
 * The committed znode tree of one replica. Only persistent (structurally shared) maps are used,
 * so {@link #snapshot()} is a constant-time reference copy: a snapshot writer or the leader's
 * request preparer reads a frozen tree while applies continue. Not thread-safe: one owner
 * (the DataTreeActor) mutates it.
 */
public final class DataTree implements NodeStore {
  public static final String ROOT = "/";
  public static final String ZOOKEEPER = "/zookeeper";
  public static final String QUOTA = "/zookeeper/quota";
  public static final String CONFIG = "/zookeeper/config";

  private NodeMap nodes;
  private HashMap<Long, HashSet<String>> ephemerals;
  private HashSet<String> containers;
  private HashSet<String> ttls;
  private HashMap<Long, Integer> sessions;
  private long lastZxid;
  /** ZooKeeper's approximateDataSize: path lengths plus data lengths, kept as nodes change. */
  private long dataSize;
  private List<WatchEvent> events;

  /** A fresh tree with ZooKeeper's system nodes: /, /zookeeper, /zookeeper/quota, /zookeeper/config. */
  public DataTree() {
    this(initialNodes(), emptyMap(), 0L);
  }

  DataTree(NodeMap nodes, HashMap<Long, Integer> sessions, long zxid) {
    this(nodes, sessions, zxid, List.of(), 0L);
    nodes.forEachKey((key, node) -> {
      if (node.ephemeralOwner() != 0) {
        index(PathKey.path(key), node.ephemeralOwner());
      }
      dataSize += PathKey.length(key) + node.dataLength();
    });
  }

  private DataTree(NodeMap nodes, HashMap<Long, Integer> sessions, long zxid,
      List<String> ownedPaths, long dataSize) {
    this.nodes = nodes;
    this.sessions = sessions;
    this.lastZxid = zxid;
    this.ephemerals = emptyMap();
    this.containers = emptySet();
    this.ttls = emptySet();
    this.dataSize = dataSize;
    for (String path : ownedPaths) {
      index(path, nodes.get(path).ephemeralOwner());
    }
  }

  private DataTree(TreeSnapshot s) {
    this.nodes = s.nodes();
    this.sessions = s.sessions();
    this.lastZxid = s.zxid();
    this.ephemerals = s.ephemerals();
    this.containers = s.containers();
    this.ttls = s.ttls();
    this.dataSize = s.approximateDataSize();
  }

  /**
   * A live tree continuing from a snapshot, with the snapshot's own indexes: every snapshot
   * comes from a tree ({@link #snapshot()}, or a snapshot file read through this class), so they
   * match its nodes, and a restart does not walk half a million nodes again to rebuild them.
   */
  public static DataTree fromSnapshot(TreeSnapshot s) {
    return new DataTree(s);
  }

  /** A tree of {@code nodes} whose indexes are derived from the nodes (imports build bare maps). */
  public static DataTree indexing(NodeMap nodes, HashMap<Long, Integer> sessions,
      long zxid) {
    return new DataTree(nodes, sessions, zxid);
  }

  /**
   * A tree of {@code nodes} whose ephemeral, container and TTL nodes are {@code ownedPaths} and
   * whose approximate data size is {@code dataSize}: a snapshot reader learns both while it
   * decodes, and spares a restart a second walk over every node.
   */
  static DataTree indexing(NodeMap nodes, HashMap<Long, Integer> sessions,
      long zxid, List<String> ownedPaths, long dataSize) {
    return new DataTree(nodes, sessions, zxid, ownedPaths, dataSize);
  }

  private static NodeMap initialNodes() {
    byte[] zookeeper = PathKey.of(ZOOKEEPER);
    byte[] quota = PathKey.of(QUOTA);
    byte[] config = PathKey.of(CONFIG);
    DataNode root = zeroNode(Acl.OPEN_ACL_UNSAFE, 0)
        .withChildren(ChildSet.empty().incl(ZOOKEEPER, zookeeper));
    DataNode zk = zeroNode(Acl.OPEN_ACL_UNSAFE, 0)
        .withChildren(ChildSet.empty().incl(QUOTA, quota).incl(CONFIG, config));
    // ZooKeeper sets /zookeeper/config's ACL with version -1, which leaves its aversion at -1.
    return NodeMap.empty().updated(ROOT, root).updated(ZOOKEEPER, zookeeper, zk)
        .updated(QUOTA, quota, zeroNode(Acl.OPEN_ACL_UNSAFE, 0))
        .updated(CONFIG, config, zeroNode(Acl.READ_ACL_UNSAFE, -1));
  }

  private static DataNode zeroNode(List<Acl> acl, int aversion) {
    return DataNode.of(new byte[0], Acls.intern(acl), 0, 0, 0, 0, 0, 0, aversion, 0, 0,
        ChildSet.empty());
  }

  /**
   * {@code applied} with the txns above its zxid applied in order, leaving {@code applied}
   * as it was (the maps are persistent); {@code applied} itself when there are none.
   */
  public static TreeSnapshot withApplied(TreeSnapshot applied, Iterable<TxnEntry> txns) {
    DataTree t = null;
    for (TxnEntry e : txns) {
      if (e.zxid() > applied.zxid()) {
        if (t == null) {
          t = fromSnapshot(applied);
        }
        t.apply(e);
      }
    }
    return t == null ? applied : t.snapshot();
  }

  /** ZooKeeper's own nodes: they cannot be deleted. */
  public static boolean isSystemPath(String path) {
    return path.equals(ZOOKEEPER) || path.equals(QUOTA) || path.equals(CONFIG);
  }

  // ---- NodeStore ----

  @Override
  public DataNode get(String path) {
    return nodes.get(path);
  }

  @Override
  public void put(String path, DataNode node) {
    store(path, null, node);
  }

  @Override
  public void putNew(String path, byte[] key, DataNode node) {
    store(path, key, node);
  }

  /** {@code key} is the map's key for a path it does not hold yet, or null to make one. */
  private void store(String path, byte[] key, DataNode node) {
    DataNode old = get(path);
    dataSize += node.dataLength() - (old == null ? -path.length() : old.dataLength());
    nodes = nodes.updated(path, key, node);
  }

  @Override
  public void remove(String path) {
    DataNode old = get(path);
    if (old != null) {
      dataSize -= path.length() + old.dataLength();
    }
    nodes = nodes.removed(path);
  }

  // ---- state ----

  public long lastZxid() {
    return lastZxid;
  }

  public int nodeCount() {
    return nodes.size();
  }

  public TreeSnapshot snapshot() {
    return new TreeSnapshot(nodes, sessions, ephemerals, containers, ttls, lastZxid, dataSize);
  }

  public HashMap<Long, Integer> sessions() {
    return sessions;
  }

  public List<String> ephemeralsOf(long sessionId) {
    HashSet<String> s = PersistentColls.get(ephemerals, sessionId);
    return s == null ? List.of() : PersistentColls.toList(s);
  }

  public List<String> containers() {
    return PersistentColls.toList(containers);
  }

  public List<String> ttlNodes() {
    return PersistentColls.toList(ttls);
  }

  /** Number of nodes below {@code path}, at any depth (ZooKeeper's getAllChildrenNumber). */
  public int allChildrenNumber(String path) {
    if (path.equals(ROOT)) {
      return nodes.size() - 1;
    }
    DataNode n = get(path);
    if (n == null) {
      return 0;
    }
    int count = 0;
    List<String> stack = new ArrayList<>();
    stack.add(path);
    while (!stack.isEmpty()) {
      String p = stack.remove(stack.size() - 1);
      DataNode node = get(p);
      if (node == null) {
        continue;
      }
      for (String child : node.childPaths()) {
        count++;
        stack.add(child);
      }
    }
    return count;
  }

  /** An order-independent digest of every node, plus the session set. */
  public long digest() {
    return TreeDigest.of(nodes, sessions);
  }

  // ---- apply ----

  /** Applies a committed txn. The caller guarantees zxid order; results are deterministic. */
  public Applied apply(TxnEntry e) {
    events = new ArrayList<>(2);
    ApplyResult result = applyTxn(e, e.txn());
    if (e.zxid() > lastZxid) {
      lastZxid = e.zxid();
    }
    List<WatchEvent> fired = events;
    events = null;
    return new Applied(e, result, fired);
  }

  private ApplyResult applyTxn(TxnEntry e, Txn txn) {
    long zxid = e.zxid();
    if (txn instanceof Txn.Create t) {
      String path = t.path();
      Code c = NodeChanges.create(this, path, t.key(), t.data(), t.acl(), t.ephemeralOwner(),
          t.parentCVersion(), zxid, e.time());
      if (c != Code.OK) {
        return ApplyResult.of(c);
      }
      index(path, t.ephemeralOwner());
      fire(EventType.NODE_CREATED, path, zxid);
      fire(EventType.NODE_CHILDREN_CHANGED, Paths.parent(path), zxid);
      return ApplyResult.ok(path, get(path).stat());
    } else if (txn instanceof Txn.Delete t) {
      return ApplyResult.of(delete(t.path(), zxid));
    } else if (txn instanceof Txn.SetData t) {
      Code c = NodeChanges.setData(this, t.path(), t.data(), t.version(), zxid, e.time());
      if (c != Code.OK) {
        return ApplyResult.of(c);
      }
      fire(EventType.NODE_DATA_CHANGED, t.path(), zxid);
      return ApplyResult.ok(t.path(), get(t.path()).stat());
    } else if (txn instanceof Txn.SetAcl t) {
      Code c = NodeChanges.setAcl(this, t.path(), t.acl(), t.version());
      return c != Code.OK ? ApplyResult.of(c) : ApplyResult.ok(t.path(), get(t.path()).stat());
    } else if (txn instanceof Txn.Check t) {
      return get(t.path()) == null ? ApplyResult.of(Code.NO_NODE) : ApplyResult.ok(t.path(), null);
    } else if (txn instanceof Txn.Error t) {
      return ApplyResult.of(t.code());
    } else if (txn instanceof Txn.Multi t) {
      return applyMulti(e, t);
    } else if (txn instanceof Txn.CreateSession t) {
      sessions = sessions.updated(e.sessionId(), t.timeoutMs());
      return ApplyResult.of(Code.OK);
    } else if (txn instanceof Txn.CloseSession) {
      for (String path : ephemeralsOf(e.sessionId())) {
        delete(path, zxid);
      }
      ephemerals = ephemerals.removed(e.sessionId());
      sessions = sessions.removed(e.sessionId());
      return ApplyResult.of(Code.OK);
    }
    throw new IllegalArgumentException("unknown txn " + txn);
  }

  private ApplyResult applyMulti(TxnEntry e, Txn.Multi multi) {
    List<ApplyResult> results = new ArrayList<>(multi.ops().size());
    Code first = Code.OK;
    for (Txn op : multi.ops()) {
      ApplyResult r = applyTxn(e, op);
      results.add(r);
      if (first == Code.OK && r.code() != Code.OK) {
        first = r.code();
      }
    }
    return new ApplyResult(first, null, null, results);
  }

  private Code delete(String path, long zxid) {
    DataNode node = get(path);
    Code c = NodeChanges.delete(this, path, zxid);
    if (c != Code.OK) {
      return c;
    }
    unindex(path, node.ephemeralOwner());
    fire(EventType.NODE_DELETED, path, zxid);
    fire(EventType.NODE_CHILDREN_CHANGED, Paths.parent(path), zxid);
    return Code.OK;
  }

  private void fire(EventType type, String path, long zxid) {
    events.add(new WatchEvent(type, path, zxid));
  }

  private void index(String path, long owner) {
    switch (NodeKind.of(owner)) {
      case CONTAINER -> containers = containers.incl(path);
      case TTL -> ttls = ttls.incl(path);
      case EPHEMERAL -> {
        HashSet<String> s = PersistentColls.get(ephemerals, owner);
        ephemerals = ephemerals.updated(owner, (s == null ? PersistentColls.<String>emptySet() : s)
            .incl(path));
      }
      case PERSISTENT -> { }
    }
  }

  private void unindex(String path, long owner) {
    switch (NodeKind.of(owner)) {
      case CONTAINER -> containers = containers.excl(path);
      case TTL -> ttls = ttls.excl(path);
      case EPHEMERAL -> {
        HashSet<String> s = PersistentColls.get(ephemerals, owner);
        if (s != null) {
          HashSet<String> rest = s.excl(path);
          ephemerals = rest.isEmpty() ? ephemerals.removed(owner) : ephemerals.updated(owner, rest);
        }
      }
      case PERSISTENT -> { }
    }
  }
}
