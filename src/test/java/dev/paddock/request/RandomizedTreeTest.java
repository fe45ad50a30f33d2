package dev.paddock.request;

import static dev.paddock.request.RequestPrepTest.OPEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.RequestPrepTest.Client;
import dev.paddock.request.RequestPrepTest.Harness;
import dev.paddock.tree.Acls;
import dev.paddock.tree.Applied;
import dev.paddock.tree.ApplyResult;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.Paths;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnCodec;
import dev.paddock.txn.TxnEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.server.DataTree.ProcessTxnResult;
import org.apache.zookeeper.txn.CheckVersionTxn;
import org.apache.zookeeper.txn.CreateContainerTxn;
import org.apache.zookeeper.txn.CreateSessionTxn;
import org.apache.zookeeper.txn.CreateTTLTxn;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.DeleteTxn;
import org.apache.zookeeper.txn.ErrorTxn;
import org.apache.zookeeper.txn.MultiTxn;
import org.apache.zookeeper.txn.SetACLTxn;
import org.apache.zookeeper.txn.SetDataTxn;
import org.apache.zookeeper.txn.TxnHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random histories of every kind of write from several sessions, prepared in pipelined
 * batches (prepares and applies interleaved at random, as commits arrive on a leader). Checked
 * against three references at once:
 *
 * <ul>
 *   <li>the same requests prepared one at a time, each applied before the next: pipelining must
 *       not change a single txn byte;
 *   <li>Apache ZooKeeper's own DataTree applying the same txns: every reply, watch event, Stat,
 *       data, ACL and child list must match;
 *   <li>structural invariants, replica and snapshot digests, and snapshot immutability.
 * </ul>
 */
class RandomizedTreeTest {
  private static final int OPS = 2000;
  private static final int MAX_DATA = 64;
  private static final int MAX_IN_FLIGHT = 8;

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 20);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void pipelinedRandomHistoryMatchesReferencesAndKeepsInvariants(long seed) {
    new Run(seed, false).run();
  }

  /**
   * Sessions opening and closing while their ephemerals on a handful of paths are deleted and
   * re-created by others, all in flight at once: the close must take exactly the nodes the
   * session owns at its zxid.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void ephemeralChurnAcrossSessionsMatchesReferences(long seed) {
    new Run(seed, true).run();
  }

  private static final class Run {
    final Random rnd;
    final Harness pipelined = new Harness(MAX_DATA);
    final Harness reference = new Harness(MAX_DATA);
    final DataTree replica = new DataTree();
    final ZkOracle zk = new ZkOracle();
    final List<Client> clients = new ArrayList<>();
    final Client stranger = new Client(0x0700_0000_0000_0099L, List.of());
    final ArrayDeque<TxnEntry> inFlight = new ArrayDeque<>();
    final ArrayDeque<Applied> expected = new ArrayDeque<>();
    /** Children ever created / deleted under a path since that path was last created. */
    final Map<String, int[]> childChanges = new HashMap<>();
    final Map<String, Long> lastChildChange = new HashMap<>();
    TreeSnapshot previousSnapshot;
    long previousSnapshotDigest;
    int okWrites;
    final Set<Code> seen = EnumSet.noneOf(Code.class);
    final boolean churn;

    Run(long seed, boolean churn) {
      this.churn = churn;
      rnd = new Random(seed);
      clients.add(new Client(0x0100_0000_0000_0001L, List.of(new Id(Acls.IP, "10.0.0.1"))));
      clients.add(new Client(0x0100_0000_0000_0002L,
          List.of(new Id(Acls.IP, "192.168.1.1"), RequestPrepTest.digest("alice:pw"))));
      clients.add(new Client(0x0200_0000_0000_0003L, List.of(RequestPrepTest.digest("bob:pw"))));
      clients.add(new Client(0x0200_0000_0000_0004L,
          List.of(new Id(Acls.SUPER, ""), RequestPrepTest.digest("root:pw"))));
    }

    void run() {
      for (Client c : clients) {
        submit(c, new Op.CreateSession(10_000 + clients.indexOf(c)));
      }
      drain();
      int prepared = 0;
      while (prepared < OPS) {
        boolean prepare = inFlight.isEmpty()
            || inFlight.size() < MAX_IN_FLIGHT && rnd.nextInt(3) != 0;
        if (prepare) {
          Client c = pickClient();
          submit(c, nextOp(c));
          prepared++;
        } else {
          applyOne();
        }
      }
      drain();
      assertTrue(okWrites > OPS / 4, "the history should mostly make progress: " + okWrites);
      if (churn) {
        assertTrue(seen.containsAll(List.of(Code.OK, Code.NO_NODE, Code.NODE_EXISTS,
            Code.SESSION_EXPIRED, Code.BAD_VERSION)), () -> "churn reached " + seen);
        return;
      }
      assertEquals(EnumSet.of(Code.OK, Code.NO_NODE, Code.NODE_EXISTS, Code.NOT_EMPTY,
          Code.BAD_VERSION, Code.NO_CHILDREN_FOR_EPHEMERALS, Code.INVALID_ACL, Code.NO_AUTH,
          Code.BAD_ARGUMENTS, Code.SESSION_EXPIRED, Code.RUNTIME_INCONSISTENCY), seen,
          "the generator should reach every error a write can get");
    }

    /** Prepares on the pipelined side, and prepares-and-applies on the reference side. */
    void submit(Client c, Op.Write op) {
      TxnEntry p = pipelined.prepare(c, op);
      Applied ref = reference.submit(c, op);
      assertArrayEquals(TxnCodec.toBytes(ref.entry()), TxnCodec.toBytes(p),
          () -> "pipelining changed the txn for " + op + ": " + p + " vs " + ref.entry());
      inFlight.add(p);
      expected.add(ref);
    }

    void drain() {
      while (!inFlight.isEmpty()) {
        applyOne();
      }
      checkInvariants();
    }

    void applyOne() {
      TxnEntry e = inFlight.poll();
      Applied ref = expected.poll();
      Applied a = pipelined.apply(e);
      assertEquals(ref.result(), a.result(), () -> "result of " + e);
      assertEquals(ref.events(), a.events(), () -> "events of " + e);
      if (a.result().isOk()) {
        okWrites++;
      }
      seen.add(a.result().code());
      a.result().multi().forEach(m -> seen.add(m.code()));
      Applied r = replica.apply(e);
      assertEquals(a.result(), r.result());
      zk.applyAndCompare(e, a);
      track(a);
      if (inFlight.isEmpty()) {
        checkInvariants();
      }
    }

    void track(Applied a) {
      for (WatchEvent ev : a.events()) {
        if (ev.type() == EventType.NODE_CREATED) {
          childChanges.computeIfAbsent(Paths.parent(ev.path()), k -> new int[2])[0]++;
          lastChildChange.put(Paths.parent(ev.path()), ev.zxid());
          childChanges.remove(ev.path());
          lastChildChange.remove(ev.path());
        } else if (ev.type() == EventType.NODE_DELETED) {
          childChanges.computeIfAbsent(Paths.parent(ev.path()), k -> new int[2])[1]++;
          lastChildChange.put(Paths.parent(ev.path()), ev.zxid());
        }
      }
    }

    // ---- invariants ----

    void checkInvariants() {
      DataTree tree = pipelined.tree;
      assertEquals(0, pipelined.prep.inFlightChanges(), "nothing prepared is left in the view");
      if (previousSnapshot != null) {
        assertEquals(previousSnapshotDigest, DataTree.fromSnapshot(previousSnapshot).digest(),
            "a snapshot must not change after it was taken");
      }
      Map<String, DataNode> nodes = nodesOf(tree);
      int childTotal = 0;
      Map<Long, Set<String>> ephemeralsByOwner = new HashMap<>();
      Set<String> containers = new HashSet<>();
      Set<String> ttls = new HashSet<>();
      for (Map.Entry<String, DataNode> en : nodes.entrySet()) {
        String path = en.getKey();
        DataNode n = en.getValue();
        Stat s = n.stat();
        if (!path.equals("/")) {
          DataNode parent = nodes.get(Paths.parent(path));
          assertNotNull(parent, () -> "parent of " + path);
          assertTrue(parent.childPaths().contains(path), () -> path + " listed");
        }
        for (String child : n.childPaths()) {
          assertEquals(path, Paths.parent(child), () -> child + " listed by " + path);
          assertTrue(nodes.containsKey(child), () -> child);
        }
        assertEquals(n.numChildren(), s.numChildren());
        childTotal += s.numChildren();
        int[] cc = childChanges.getOrDefault(path, new int[2]);
        assertEquals(initialCversion(path) + cc[0] + cc[1], s.cversion(), () -> "cversion " + path);
        assertEquals(lastChildChange.getOrDefault(path, s.czxid()), s.pzxid(), () -> "pzxid " + path);
        assertEquals(n.data() == null ? 0 : n.data().length, s.dataLength());
        assertTrue(s.mzxid() >= s.czxid() && s.pzxid() >= s.czxid());
        switch (n.kind()) {
          case EPHEMERAL -> {
            assertNotNull(PersistentColls.get(tree.sessions(), n.ephemeralOwner()),
                () -> path + " belongs to a closed session");
            assertEquals(0, s.numChildren());
            assertEquals(n.ephemeralOwner(), s.ephemeralOwner());
            ephemeralsByOwner.computeIfAbsent(n.ephemeralOwner(), k -> new HashSet<>()).add(path);
          }
          case CONTAINER -> containers.add(path);
          case TTL -> ttls.add(path);
          case PERSISTENT -> assertEquals(0, n.ephemeralOwner());
        }
        if (n.kind() != NodeKind.EPHEMERAL) {
          assertEquals(0, s.ephemeralOwner());
        }
      }
      assertEquals(nodes.size() - 1, childTotal, "every node but the root is someone's child");
      long dataSize = 0;
      for (Map.Entry<String, DataNode> en : nodes.entrySet()) {
        dataSize += en.getKey().length() + en.getValue().dataLength();
      }
      assertEquals(dataSize, tree.snapshot().approximateDataSize(),
          "the kept data size is that of the nodes");
      assertEquals(dataSize, DataTree.fromSnapshot(tree.snapshot()).snapshot()
          .approximateDataSize(), "a tree rebuilt from a snapshot counts the same size");
      assertEquals(nodes.size() - 1, tree.allChildrenNumber("/"));
      for (Client c : clients) {
        assertEquals(ephemeralsByOwner.getOrDefault(c.session(), Set.of()),
            new HashSet<>(tree.ephemeralsOf(c.session())));
      }
      assertEquals(containers, new HashSet<>(tree.containers()));
      assertEquals(ttls, new HashSet<>(tree.ttlNodes()));

      String somePath = new ArrayList<>(new TreeSet<>(nodes.keySet()))
          .get(rnd.nextInt(nodes.size()));
      long below = nodes.keySet().stream()
          .filter(p -> !p.equals(somePath) && Paths.isUnder(p, somePath)).count();
      assertEquals(below, tree.allChildrenNumber(somePath), () -> "below " + somePath);

      long digest = tree.digest();
      assertEquals(digest, replica.digest(), "a replica applying the same log agrees");
      assertEquals(digest, reference.tree.digest(), "pipelined and one-by-one trees agree");
      TreeSnapshot snap = tree.snapshot();
      DataTree restored = DataTree.fromSnapshot(snap);
      assertEquals(digest, restored.digest(), "a tree rebuilt from a snapshot agrees");
      assertEquals(new HashSet<>(tree.containers()), new HashSet<>(restored.containers()));
      assertEquals(new HashSet<>(tree.ttlNodes()), new HashSet<>(restored.ttlNodes()));
      for (Client c : clients) {
        assertEquals(new HashSet<>(tree.ephemeralsOf(c.session())),
            new HashSet<>(restored.ephemeralsOf(c.session())));
      }
      zk.compareNodes(nodes);
      previousSnapshot = snap;
      previousSnapshotDigest = digest;
    }

    static int initialCversion(String path) {
      return switch (path) {
        case "/" -> -1;
        case "/zookeeper" -> -2;
        default -> 0;
      };
    }

    // ---- random requests ----

    Client pickClient() {
      int r = rnd.nextInt(100);
      return r < 2 ? stranger : clients.get(rnd.nextInt(clients.size()));
    }

    Op.Write nextOp(Client c) {
      boolean open = PersistentColls.get(reference.tree.sessions(), c.session()) != null;
      if (!open && c != stranger && rnd.nextBoolean()) {
        return new Op.CreateSession(5_000 + rnd.nextInt(1000));
      }
      if (churn) {
        return nextChurnOp();
      }
      int r = rnd.nextInt(100);
      if (r < 34) {
        return randomCreate();
      } else if (r < 52) {
        String p = pickPath();
        return new Op.Delete(p, pickVersion(p));
      } else if (r < 66) {
        String p = pickPath();
        return new Op.SetData(p, randomData(), pickVersion(p));
      } else if (r < 72) {
        String p = pickPath();
        return new Op.SetAcl(p, randomAcl(), pickAversion(p));
      } else if (r < 76) {
        String p = pickPath();
        return new Op.Check(p, pickVersion(p));
      } else if (r < 90) {
        return randomMulti();
      } else if (r < 94) {
        List<String> candidates = new ArrayList<>(reference.tree.containers());
        candidates.addAll(reference.tree.ttlNodes());
        candidates.sort(null);
        String p = candidates.isEmpty() || rnd.nextInt(4) == 0
            ? pickPath() : candidates.get(rnd.nextInt(candidates.size()));
        return new Op.DeleteContainer(p);
      } else if (r < 98) {
        return new Op.CloseSession();
      } else {
        return new Op.CreateSession(5_000 + rnd.nextInt(1000));
      }
    }

    Op.Write nextChurnOp() {
      String p = "/e" + rnd.nextInt(3);
      int r = rnd.nextInt(100);
      if (r < 40) {
        return new Op.Create(p, randomData(), OPEN,
            rnd.nextInt(4) == 0 ? CreateMode.PERSISTENT : CreateMode.EPHEMERAL);
      } else if (r < 62) {
        return new Op.Delete(p, pickVersion(p));
      } else if (r < 80) {
        return new Op.CloseSession();
      } else if (r < 88) {
        return new Op.CreateSession(7_000);
      } else if (r < 95) {
        return new Op.SetData(p, randomData(), pickVersion(p));
      }
      return new Op.Multi(List.of(new Op.Delete(p, -1),
          new Op.Create(p, randomData(), OPEN, CreateMode.EPHEMERAL)));
    }

    Op.Write randomMulti() {
      int n = 1 + rnd.nextInt(4);
      List<Op.Write> ops = new ArrayList<>();
      String last = null;
      for (int i = 0; i < n; i++) {
        int r = rnd.nextInt(10);
        if (r < 4) {
          Op.Create c = last != null && rnd.nextBoolean()
              ? new Op.Create(last + "/m", randomData(), OPEN, CreateMode.PERSISTENT)
              : randomCreate();
          last = c.path();
          ops.add(c);
        } else if (r < 6) {
          ops.add(new Op.Delete(last != null && rnd.nextBoolean() ? last : pickPath(), -1));
        } else if (r < 8) {
          String p = pickPath();
          ops.add(new Op.SetData(p, randomData(), pickVersion(p)));
        } else {
          String p = pickPath();
          ops.add(new Op.Check(p, pickVersion(p)));
        }
      }
      return new Op.Multi(ops);
    }

    Op.Create randomCreate() {
      CreateMode mode = pickMode();
      String parent = rnd.nextInt(10) < 7 ? pickPath() : pickUniversePath(2);
      String name = mode.isSequential() ? (rnd.nextBoolean() ? "s-" : "")
          : String.valueOf((char) ('a' + rnd.nextInt(3)));
      String path = Paths.child(parent, name);
      if (!mode.isSequential()) {
        remember(path);
      }
      if (rnd.nextInt(60) == 0) {
        path = List.of("bad", parent + "/", parent + "/.", "/x//y").get(rnd.nextInt(4));
      }
      long ttl = -1;
      if (mode.isTtl()) {
        ttl = rnd.nextInt(20) == 0 ? (rnd.nextBoolean() ? 0 : NodeKind.MAX_TTL + 1)
            : 1 + rnd.nextInt(100_000);
      } else if (rnd.nextInt(80) == 0) {
        ttl = rnd.nextInt(100);
      }
      return new Op.Create(path, randomData(), randomAcl(), mode, ttl);
    }

    CreateMode pickMode() {
      int r = rnd.nextInt(100);
      if (r < 40) {
        return CreateMode.PERSISTENT;
      } else if (r < 60) {
        return CreateMode.EPHEMERAL;
      } else if (r < 70) {
        return CreateMode.PERSISTENT_SEQUENTIAL;
      } else if (r < 80) {
        return CreateMode.EPHEMERAL_SEQUENTIAL;
      } else if (r < 90) {
        return CreateMode.CONTAINER;
      } else if (r < 95) {
        return CreateMode.PERSISTENT_WITH_TTL;
      }
      return CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
    }

    /**
     * Paths the last few requests named. Picking them often makes pipelined requests collide on
     * one node, which is where the preparer's view of in-flight changes can go wrong.
     */
    final ArrayDeque<String> recent = new ArrayDeque<>();

    String remember(String path) {
      recent.addFirst(path);
      if (recent.size() > 6) {
        recent.removeLast();
      }
      return path;
    }

    String pickPath() {
      int r = rnd.nextInt(20);
      if (r < 7 && !recent.isEmpty()) {
        return new ArrayList<>(recent).get(rnd.nextInt(recent.size()));
      }
      return remember(pickFreshPath(r));
    }

    String pickFreshPath(int r) {
      if (r < 15) {
        List<String> paths = new ArrayList<>(nodesOf(reference.tree).keySet());
        paths.sort(null);
        return paths.get(rnd.nextInt(paths.size()));
      }
      return pickUniversePath(3);
    }

    String pickUniversePath(int maxDepth) {
      int depth = 1 + rnd.nextInt(maxDepth);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        sb.append('/').append((char) ('a' + rnd.nextInt(3)));
      }
      return sb.toString();
    }

    int pickVersion(String path) {
      DataNode n = path == null ? null : reference.tree.get(path);
      int r = rnd.nextInt(10);
      if (r < 5 || n == null) {
        return r < 8 ? -1 : rnd.nextInt(3);
      }
      return r < 9 ? n.version() : n.version() + 1;
    }

    int pickAversion(String path) {
      DataNode n = reference.tree.get(path);
      int r = rnd.nextInt(10);
      if (r < 5 || n == null) {
        return -1;
      }
      return r < 9 ? n.aversion() : n.aversion() + 2;
    }

    byte[] randomData() {
      int r = rnd.nextInt(100);
      if (r < 5) {
        return null;
      } else if (r < 10) {
        return new byte[0];
      }
      byte[] b = new byte[r < 95 ? 1 + rnd.nextInt(16) : MAX_DATA - 4 + rnd.nextInt(8)];
      rnd.nextBytes(b);
      return b;
    }

    List<Acl> randomAcl() {
      int r = rnd.nextInt(100);
      if (r < 70) {
        return OPEN;
      } else if (r < 78) {
        return Acl.CREATOR_ALL_ACL;
      } else if (r < 83) {
        return Acl.READ_ACL_UNSAFE;
      } else if (r < 88) {
        return List.of(new Acl(Perms.READ, Id.ANYONE),
            new Acl(Perms.ALL, RequestPrepTest.digest("alice:pw")));
      } else if (r < 92) {
        return List.of(new Acl(Perms.ALL, new Id(Acls.IP, "10.0.0.0/8")));
      } else if (r < 94) {
        return List.of();
      }
      return List.of(new Acl(Perms.ALL & ~(1 << rnd.nextInt(5)), Id.ANYONE));
    }

    static Map<String, DataNode> nodesOf(DataTree tree) {
      Map<String, DataNode> out = new HashMap<>();
      tree.snapshot().nodes().forEachNode(out::put);
      return out;
    }
  }

  /**
   * Apache ZooKeeper's DataTree fed the same txns. Two watchers observe it the way ZooKeeper's
   * watch tables see every change: a persistent-recursive watch on "/" for data-table events, and
   * a persistent watch on every node ever created for child-list events.
   */
  static final class ZkOracle {
    final org.apache.zookeeper.server.DataTree tree = new org.apache.zookeeper.server.DataTree();
    final List<WatchEvent> fired = new ArrayList<>();
    /**
     * Watches each new node for child changes the moment it is created, so children created
     * later in the same multi are seen too.
     */
    final Watcher dataWatcher = e -> {
      fired.add(convert(e));
      if (e.getType() == Watcher.Event.EventType.NodeCreated) {
        watchChildren(e.getPath());
      }
    };
    final Watcher childWatcher = e -> {
      if (e.getType() == Watcher.Event.EventType.NodeChildrenChanged) {
        fired.add(convert(e));
      }
    };
    final Set<String> childWatched = new HashSet<>();

    ZkOracle() {
      tree.addWatch("/", dataWatcher, 1);
      for (String p : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
        watchChildren(p);
      }
    }

    private void watchChildren(String path) {
      if (childWatched.add(path)) {
        tree.addWatch(path, childWatcher, 0);
      }
    }

    private static WatchEvent convert(WatchedEvent e) {
      return new WatchEvent(EventType.of(e.getType().getIntValue()), e.getPath(), e.getZxid());
    }

    void applyAndCompare(TxnEntry e, Applied ours) {
      fired.clear();
      Txn txn = e.txn();
      ProcessTxnResult rc = tree.processTxn(header(e, opCode(txn, e)), record(txn, e));
      compareResult(ours.result(), rc, txn, e);
      List<WatchEvent> theirs = new ArrayList<>(fired);
      List<WatchEvent> mine = new ArrayList<>(ours.events());
      if (txn instanceof Txn.CloseSession) {
        // ZooKeeper walks a session's ephemerals in hash order; only the set is defined.
        Comparator<WatchEvent> c = Comparator.comparing(WatchEvent::path)
            .thenComparing(WatchEvent::type);
        theirs.sort(c);
        mine.sort(c);
      }
      assertEquals(theirs, mine, () -> "watch events of " + e);
    }

    private static void compareResult(ApplyResult ours, ProcessTxnResult rc, Txn txn, TxnEntry e) {
      assertEquals(rc.err, ours.code().value(), () -> "result code of " + e);
      if (txn instanceof Txn.Multi m) {
        assertEquals(rc.multiResult.size(), ours.multi().size());
        for (int i = 0; i < m.ops().size(); i++) {
          compareResult(ours.multi().get(i), rc.multiResult.get(i), m.ops().get(i), e);
        }
        return;
      }
      if (ours.isOk() && txn instanceof Txn.Create) {
        assertEquals(rc.path, ours.path());
      }
      if (ours.isOk() && (txn instanceof Txn.Create || txn instanceof Txn.SetData
          || txn instanceof Txn.SetAcl)) {
        assertEquals(statOf(rc.stat, ours.stat()), ours.stat(), () -> "reply Stat of " + e);
      }
    }

    void compareNodes(Map<String, DataNode> ours) {
      assertEquals(ours.size() + 1, tree.getNodeCount(), "ZooKeeper also maps \"\" to the root");
      for (Map.Entry<String, DataNode> en : ours.entrySet()) {
        String path = en.getKey();
        DataNode mine = en.getValue();
        org.apache.zookeeper.server.DataNode theirs = tree.getNode(path);
        assertNotNull(theirs, () -> "ZooKeeper lacks " + path);
        org.apache.zookeeper.data.Stat zs = new org.apache.zookeeper.data.Stat();
        theirs.copyStat(zs);
        assertEquals(theirs.stat.getEphemeralOwner(), mine.ephemeralOwner(),
            () -> "stored owner of " + path);
        assertEquals(statOf(zs, mine.stat()), mine.stat(), () -> "Stat of " + path);
        if (mine.data() == null) {
          assertNull(theirs.getData(), () -> "data of " + path);
        } else {
          assertArrayEquals(theirs.getData(), mine.data(), () -> "data of " + path);
        }
        assertEquals(theirs.getChildren(), new HashSet<>(mine.childNames()));
        try {
          assertEquals(aclOf(tree.getACL(path, null)), mine.acl(), () -> "ACL of " + path);
        } catch (org.apache.zookeeper.KeeperException.NoNodeException ex) {
          throw new AssertionError(ex);
        }
      }
    }

    /**
     * ZooKeeper's Stat in our form. TTL nodes need extended types, which this in-process tree
     * runs without (they are switched on by a JVM-wide property other tests share), so it shows a
     * TTL node's raw owner; the owner comparison for those is done on our stored value instead.
     */
    private static Stat statOf(org.apache.zookeeper.data.Stat z, Stat ours) {
      long owner = z.getEphemeralOwner();
      if (ours != null && NodeKind.of(owner) == NodeKind.TTL) {
        owner = 0;
      }
      return new Stat(z.getCzxid(), z.getMzxid(), z.getCtime(), z.getMtime(), z.getVersion(),
          z.getCversion(), z.getAversion(), owner, z.getDataLength(), z.getNumChildren(),
          z.getPzxid());
    }

    private static List<Acl> aclOf(List<org.apache.zookeeper.data.ACL> acl) {
      return acl.stream()
          .map(a -> new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())))
          .toList();
    }

    private static List<org.apache.zookeeper.data.ACL> zkAcl(List<Acl> acl) {
      return acl.stream()
          .map(a -> new org.apache.zookeeper.data.ACL(a.perms(),
              new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id())))
          .toList();
    }

    private static TxnHeader header(TxnEntry e, int type) {
      return new TxnHeader(e.sessionId(), e.cxid(), e.zxid(), e.time(), type);
    }

    private static int opCode(Txn txn, TxnEntry e) {
      if (txn instanceof Txn.Create c) {
        return switch (NodeKind.of(c.ephemeralOwner())) {
          case CONTAINER -> OpCode.createContainer;
          case TTL -> OpCode.createTTL;
          case EPHEMERAL, PERSISTENT -> OpCode.create2;
        };
      } else if (txn instanceof Txn.Delete) {
        return OpCode.delete;
      } else if (txn instanceof Txn.SetData) {
        return OpCode.setData;
      } else if (txn instanceof Txn.SetAcl) {
        return OpCode.setACL;
      } else if (txn instanceof Txn.Check) {
        return OpCode.check;
      } else if (txn instanceof Txn.Error) {
        return OpCode.error;
      } else if (txn instanceof Txn.Multi) {
        return OpCode.multi;
      } else if (txn instanceof Txn.CreateSession) {
        return OpCode.createSession;
      } else if (txn instanceof Txn.CloseSession) {
        return OpCode.closeSession;
      }
      throw new IllegalArgumentException(String.valueOf(txn));
    }

    private static Record record(Txn txn, TxnEntry e) {
      if (txn instanceof Txn.Create c) {
        List<org.apache.zookeeper.data.ACL> acl = zkAcl(c.acl());
        return switch (NodeKind.of(c.ephemeralOwner())) {
          case CONTAINER -> new CreateContainerTxn(c.path(), c.data(), acl, c.parentCVersion());
          case TTL -> new CreateTTLTxn(c.path(), c.data(), acl, c.parentCVersion(),
              NodeKind.ttlOf(c.ephemeralOwner()));
          case EPHEMERAL -> {
            // ZooKeeper's create txn names no owner: the header's session owns the node.
            assertEquals(e.sessionId(), c.ephemeralOwner(), "an ephemeral belongs to its creator");
            yield new CreateTxn(c.path(), c.data(), acl, true, c.parentCVersion());
          }
          case PERSISTENT -> new CreateTxn(c.path(), c.data(), acl, false, c.parentCVersion());
        };
      } else if (txn instanceof Txn.Delete d) {
        return new DeleteTxn(d.path());
      } else if (txn instanceof Txn.SetData s) {
        return new SetDataTxn(s.path(), s.data(), s.version());
      } else if (txn instanceof Txn.SetAcl s) {
        return new SetACLTxn(s.path(), zkAcl(s.acl()), s.version());
      } else if (txn instanceof Txn.Check c) {
        return new CheckVersionTxn(c.path(), c.version());
      } else if (txn instanceof Txn.Error err) {
        return new ErrorTxn(err.code().value());
      } else if (txn instanceof Txn.Multi m) {
        List<org.apache.zookeeper.txn.Txn> subs = new ArrayList<>();
        for (Txn op : m.ops()) {
          subs.add(new org.apache.zookeeper.txn.Txn(opCode(op, e), serialize(record(op, e))));
        }
        return new MultiTxn(subs);
      } else if (txn instanceof Txn.CreateSession s) {
        return new CreateSessionTxn(s.timeoutMs());
      }
      return null;
    }

    private static byte[] serialize(Record r) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.serialize(BinaryOutputArchive.getArchive(out), "txn");
        return out.toByteArray();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void oracleNoticesAStatThatDiffersFromZooKeeper() {
    // The differential check is only worth something if a wrong Stat makes it fail.
    Harness h = new Harness();
    Client c = h.open(0x0100_0000_0000_0001L);
    ZkOracle zk = new ZkOracle();
    zk.applyAndCompare(h.log.get(0), new Applied(h.log.get(0), ApplyResult.of(Code.OK), List.of()));
    Applied created = h.ok(c, RequestPrepTest.create("/a"));
    zk.applyAndCompare(created.entry(), created);
    Map<String, DataNode> nodes = Run.nodesOf(h.tree);
    DataNode a = nodes.get("/a");
    nodes.put("/a", a.withData(a.data(), a.version() + 1, a.mzxid(), a.mtime()));
    org.junit.jupiter.api.Assertions.assertThrows(
        org.opentest4j.AssertionFailedError.class, () -> zk.compareNodes(nodes));
    Applied wrongEvents = new Applied(created.entry(), created.result(), List.of());
    ZkOracle fresh = new ZkOracle();
    fresh.applyAndCompare(h.log.get(0), new Applied(h.log.get(0), ApplyResult.of(Code.OK),
        List.of()));
    org.junit.jupiter.api.Assertions.assertThrows(
        org.opentest4j.AssertionFailedError.class,
        () -> fresh.applyAndCompare(created.entry(), wrongEvents));
  }
}
