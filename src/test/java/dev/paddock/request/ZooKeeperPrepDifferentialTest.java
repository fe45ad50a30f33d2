package dev.paddock.request;

import static dev.paddock.request.RequestPrepTest.OPEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.request.RequestPrepTest.Client;
import dev.paddock.request.RequestPrepTest.Harness;
import dev.paddock.tree.Acls;
import dev.paddock.tree.Applied;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.Paths;
import dev.paddock.tree.PersistentColls;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnCodec;
import dev.paddock.txn.TxnEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.jute.Record;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.server.ByteBufferInputStream;
import org.apache.zookeeper.server.PrepRequestProcessor;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.RequestProcessor;
import org.apache.zookeeper.server.RequestRecord;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.txn.CheckVersionTxn;
import org.apache.zookeeper.txn.CreateContainerTxn;
import org.apache.zookeeper.txn.CreateSessionTxn;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.DeleteTxn;
import org.apache.zookeeper.txn.ErrorTxn;
import org.apache.zookeeper.txn.MultiTxn;
import org.apache.zookeeper.txn.SetACLTxn;
import org.apache.zookeeper.txn.SetDataTxn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The preparer against Apache ZooKeeper's own PrepRequestProcessor, request by request: the same
 * random pipelined writes go to both, each side applies its txns in the same interleaving, and
 * every decision must match — which error (so every precedence rule), or else the txn itself
 * (sequential names, versions, parent cversions, ACL expansion, ephemeral owners).
 *
 * <p>Left out, because ZooKeeper decides them elsewhere or differently on purpose: TTL modes (off
 * in an in-process ZooKeeper unless a JVM-wide property is set), data over the size limit (refused
 * by ZooKeeper's network layer), server-issued deleteContainer, and ops ZooKeeper cannot put in a
 * multi. ZooKeeper reports a session it no longer tracks as UNKNOWN_SESSION where its leader and
 * this preparer say SESSION_EXPIRED; that one code is mapped.
 *
 * <p>Two timing-dependent ZooKeeper results are kept out of the comparison by applying
 * everything in flight right after a setACL or closeSession is prepared. ZooKeeper's pending
 * change record for a setACL keeps the node's previous ACL, and the one for a closeSession does
 * not lower the parents' child counts; so a request prepared while either is in flight is judged
 * as if it had not happened yet (old ACL; NOT_EMPTY for the parent of a doomed ephemeral), while
 * once it has been applied the same request is judged against the new state. This preparer
 * always gives the latter answer, which is the one ZooKeeper gives when commits keep up, and is
 * what the request order says. RequestPrepTest and AclEnforcementTest pin these cases down.
 */
class ZooKeeperPrepDifferentialTest {
  private static final int OPS = 1500;

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 12);
  }

  private static final ch.qos.logback.classic.Logger ZK_SERVER_LOG =
      (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.zookeeper");
  private static ch.qos.logback.classic.Level savedLevel;

  /**
   * ZooKeeper logs an error or warning for every refused ACL and every auth expansion that meets
   * the super id; the random requests here produce hundreds of them, none of them news.
   */
  @BeforeAll
  static void quietZooKeeper() {
    savedLevel = ZK_SERVER_LOG.getLevel();
    ZK_SERVER_LOG.setLevel(ch.qos.logback.classic.Level.OFF);
  }

  @AfterAll
  static void restoreZooKeeperLogging() {
    ZK_SERVER_LOG.setLevel(savedLevel);
  }

  /** A ZooKeeper server with an in-memory database and an unstarted session tracker. */
  private static final class Server extends ZooKeeperServer {
    Server() {
      setZKDatabase(new ZKDatabase(null));
      createSessionTracker();
    }
  }

  /** Runs ZooKeeper's preparation of one request on the calling thread. */
  private static final class Prep extends PrepRequestProcessor {
    Prep(ZooKeeperServer zks) {
      super(zks, new RequestProcessor() {
        @Override
        public void processRequest(Request request) {}

        @Override
        public void shutdown() {}
      });
    }

    void prepare(Request r) throws RequestProcessorException {
      pRequest(r);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void preparesEveryRequestAsZooKeeperDoes(long seed) throws Exception {
    new Run(seed).run();
  }

  private static final class Run {
    final Random rnd;
    final Harness ours = new Harness(1 << 20);
    final Server zks = new Server();
    final Prep zkPrep = new Prep(zks);
    final List<Client> clients = List.of(
        new Client(0x0100_0000_0000_0001L, List.of(new Id(Acls.IP, "10.0.0.1"))),
        new Client(0x0100_0000_0000_0002L,
            List.of(new Id(Acls.IP, "192.168.1.1"), RequestPrepTest.digest("alice:pw"))),
        new Client(0x0200_0000_0000_0003L, List.of(RequestPrepTest.digest("bob:pw"))),
        new Client(0x0200_0000_0000_0004L,
            List.of(new Id(Acls.SUPER, ""), RequestPrepTest.digest("root:pw"))));
    final Client stranger = new Client(0x0700_0000_0000_0099L, List.of());
    final ArrayDeque<TxnEntry> oursInFlight = new ArrayDeque<>();
    final ArrayDeque<Request> zkInFlight = new ArrayDeque<>();
    final ArrayDeque<String> recent = new ArrayDeque<>();
    final Set<Code> seen = EnumSet.noneOf(Code.class);

    Run(long seed) {
      rnd = new Random(seed);
    }

    void run() throws Exception {
      for (Client c : clients) {
        submit(c, new Op.CreateSession(10_000));
      }
      int prepared = 0;
      while (prepared < OPS || !oursInFlight.isEmpty()) {
        boolean prepare = prepared < OPS && (oursInFlight.isEmpty()
            || oursInFlight.size() < 8 && rnd.nextInt(3) != 0);
        if (prepare) {
          Client c = rnd.nextInt(50) == 0 ? stranger : clients.get(rnd.nextInt(clients.size()));
          submit(c, nextOp(c));
          prepared++;
        } else {
          applyOne();
        }
      }
      assertTrue(seen.containsAll(List.of(Code.OK, Code.NO_NODE, Code.NODE_EXISTS,
          Code.NOT_EMPTY, Code.BAD_VERSION, Code.NO_CHILDREN_FOR_EPHEMERALS, Code.INVALID_ACL,
          Code.NO_AUTH, Code.BAD_ARGUMENTS, Code.SESSION_EXPIRED)), () -> "reached " + seen);
    }

    void submit(Client c, Op.Write op) throws Exception {
      TxnEntry mine = ours.prepare(c, op);
      zks.setZxid(mine.zxid() - 1);
      Request r = new Request(null, c.session(), mine.cxid(), opCode(op), record(op), zkIds(c));
      zkPrep.prepare(r);
      assertEquals(mine.zxid(), r.getHdr().getZxid());
      Txn theirs = normalize(convert(r.getHdr().getType(), r.getTxn(), c.session()));
      assertArrayEquals(bytes(theirs), bytes(mine.txn()),
          () -> "for " + op + " from 0x" + Long.toHexString(c.session())
              + "\n ZooKeeper: " + theirs + "\n ours:      " + mine.txn());
      noteCodes(mine.txn());
      oursInFlight.add(mine);
      zkInFlight.add(r);
      if (op instanceof Op.SetAcl || op instanceof Op.CloseSession) {
        while (!oursInFlight.isEmpty()) {
          applyOne();
        }
      }
    }

    void applyOne() {
      TxnEntry e = oursInFlight.poll();
      Applied a = ours.apply(e);
      zks.processTxn(zkInFlight.poll());
      if (!a.result().isOk() && !(e.txn() instanceof Txn.Error)
          && !(e.txn() instanceof Txn.Multi)) {
        throw new AssertionError("a prepared txn failed to apply: " + a);
      }
    }

    void noteCodes(Txn t) {
      if (t instanceof Txn.Error err) {
        seen.add(err.code());
      } else if (t instanceof Txn.Multi m) {
        m.ops().forEach(this::noteCodes);
      } else {
        seen.add(Code.OK);
      }
    }

    // ---- random requests ZooKeeper can receive ----

    Op.Write nextOp(Client c) {
      boolean open = PersistentColls.get(ours.tree.sessions(), c.session()) != null;
      if (c != stranger && (!open && rnd.nextBoolean()
          || rnd.nextInt(60) == 0)) {
        return new Op.CreateSession(5_000);
      }
      int r = rnd.nextInt(100);
      if (r < 36) {
        return randomCreate();
      } else if (r < 54) {
        String p = pickPath();
        return new Op.Delete(p, pickVersion(p));
      } else if (r < 68) {
        String p = pickPath();
        return new Op.SetData(p, randomData(), pickVersion(p));
      } else if (r < 75) {
        String p = pickPath();
        return new Op.SetAcl(p, randomAcl(), rnd.nextBoolean() ? -1 : rnd.nextInt(3));
      } else if (r < 80) {
        String p = pickPath();
        return new Op.Check(p, pickVersion(p));
      } else if (r < 96) {
        List<Op.Write> ops = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          int k = rnd.nextInt(10);
          String p = pickPath();
          ops.add(k < 4 ? randomCreate() : k < 6 ? new Op.Delete(p, pickVersion(p))
              : k < 8 ? new Op.SetData(p, randomData(), pickVersion(p))
              : new Op.Check(p, pickVersion(p)));
        }
        return new Op.Multi(ops);
      }
      return new Op.CloseSession();
    }

    Op.Create randomCreate() {
      CreateMode[] modes = {CreateMode.PERSISTENT, CreateMode.PERSISTENT, CreateMode.EPHEMERAL,
          CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL, CreateMode.CONTAINER};
      CreateMode mode = modes[rnd.nextInt(modes.length)];
      String parent = pickPath();
      String path = mode.isSequential() && rnd.nextBoolean() ? parent + "/"
          : Paths.child(parent, String.valueOf((char) ('a' + rnd.nextInt(3))));
      if (rnd.nextInt(40) == 0) {
        path = List.of("bad", parent + "/.", "/x//y", "/a/\u0001", "", "/").get(rnd.nextInt(6));
      }
      remember(path);
      return new Op.Create(path, randomData(), randomAcl(), mode);
    }

    void remember(String path) {
      recent.addFirst(path);
      if (recent.size() > 6) {
        recent.removeLast();
      }
    }

    String pickPath() {
      int r = rnd.nextInt(20);
      if (r < 6 && !recent.isEmpty()) {
        return new ArrayList<>(recent).get(rnd.nextInt(recent.size()));
      }
      String p;
      if (r < 15) {
        List<String> all = new ArrayList<>();
        ours.tree.snapshot().nodes().forEachNode((path, node) -> all.add(path));
        all.sort(null);
        p = all.get(rnd.nextInt(all.size()));
      } else {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, d = 1 + rnd.nextInt(3); i < d; i++) {
          sb.append('/').append((char) ('a' + rnd.nextInt(3)));
        }
        p = sb.toString();
      }
      remember(p);
      return p;
    }

    int pickVersion(String path) {
      DataNode n = ours.tree.get(path);
      int r = rnd.nextInt(10);
      if (r < 5 || n == null) {
        return r < 8 ? -1 : rnd.nextInt(3);
      }
      return r < 9 ? n.version() : n.version() + 1;
    }

    byte[] randomData() {
      int r = rnd.nextInt(20);
      if (r == 0) {
        return null;
      }
      byte[] b = new byte[r == 1 ? 0 : rnd.nextInt(12)];
      rnd.nextBytes(b);
      return b;
    }

    List<Acl> randomAcl() {
      int r = rnd.nextInt(100);
      if (r < 62) {
        return OPEN;
      } else if (r < 70) {
        return Acl.CREATOR_ALL_ACL;
      } else if (r < 75) {
        return Acl.READ_ACL_UNSAFE;
      } else if (r < 80) {
        return List.of(new Acl(Perms.READ, Id.ANYONE),
            new Acl(Perms.ALL, RequestPrepTest.digest("alice:pw")));
      } else if (r < 84) {
        return List.of(new Acl(Perms.ALL, new Id(Acls.IP, "10.0.0.0/8")));
      } else if (r < 87) {
        return List.of();
      } else if (r < 90) {
        return List.of(new Acl(Perms.ALL, new Id("world", "nobody")));
      } else if (r < 92) {
        return List.of(new Acl(Perms.ALL, new Id(Acls.IP, "::ffff:10.0.0.1")));
      } else if (r < 94) {
        return List.of(new Acl(Perms.ALL, new Id(Acls.DIGEST, "no-colon")));
      } else if (r < 96) {
        return List.of(OPEN.get(0), OPEN.get(0), new Acl(Perms.ALL, Id.AUTH_IDS));
      }
      return List.of(new Acl(Perms.ALL & ~(1 << rnd.nextInt(5)), Id.ANYONE));
    }
  }

  // ---- our requests in ZooKeeper's form ----

  private static List<org.apache.zookeeper.data.Id> zkIds(Client c) {
    return c.auth().stream().map(i -> new org.apache.zookeeper.data.Id(i.scheme(), i.id()))
        .toList();
  }

  private static List<org.apache.zookeeper.data.ACL> zkAcl(List<Acl> acl) {
    return acl.stream().map(a -> new org.apache.zookeeper.data.ACL(a.perms(),
        new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id()))).toList();
  }

  private static int opCode(Op.Write op) {
    if (op instanceof Op.Create c) {
      return c.mode().isContainer() ? OpCode.createContainer : OpCode.create2;
    } else if (op instanceof Op.Delete) {
      return OpCode.delete;
    } else if (op instanceof Op.SetData) {
      return OpCode.setData;
    } else if (op instanceof Op.SetAcl) {
      return OpCode.setACL;
    } else if (op instanceof Op.Check) {
      return OpCode.check;
    } else if (op instanceof Op.Multi) {
      return OpCode.multi;
    } else if (op instanceof Op.CreateSession) {
      return OpCode.createSession;
    } else if (op instanceof Op.CloseSession) {
      return OpCode.closeSession;
    }
    throw new IllegalArgumentException(String.valueOf(op));
  }

  private static RequestRecord record(Op.Write op) {
    Record r;
    if (op instanceof Op.Create c) {
      r = new CreateRequest(c.path(), c.data(), zkAcl(c.acl()), c.mode().flag());
    } else if (op instanceof Op.Delete d) {
      r = new DeleteRequest(d.path(), d.version());
    } else if (op instanceof Op.SetData s) {
      r = new SetDataRequest(s.path(), s.data(), s.version());
    } else if (op instanceof Op.SetAcl s) {
      r = new SetACLRequest(s.path(), zkAcl(s.acl()), s.version());
    } else if (op instanceof Op.Check c) {
      r = new CheckVersionRequest(c.path(), c.version());
    } else if (op instanceof Op.Multi m) {
      List<org.apache.zookeeper.Op> zkOps = new ArrayList<>();
      for (Op.Write w : m.ops()) {
        if (w instanceof Op.Create c) {
          zkOps.add(org.apache.zookeeper.Op.create(c.path(), c.data(), zkAcl(c.acl()),
              c.mode().flag()));
        } else if (w instanceof Op.Delete d) {
          zkOps.add(org.apache.zookeeper.Op.delete(d.path(), d.version()));
        } else if (w instanceof Op.SetData s) {
          zkOps.add(org.apache.zookeeper.Op.setData(s.path(), s.data(), s.version()));
        } else if (w instanceof Op.Check c) {
          zkOps.add(org.apache.zookeeper.Op.check(c.path(), c.version()));
        }
      }
      r = new MultiOperationRecord(zkOps);
    } else if (op instanceof Op.CreateSession s) {
      r = new CreateSessionTxn(s.timeoutMs());
    } else {
      return null;
    }
    return RequestRecord.fromRecord(r);
  }

  // ---- ZooKeeper's txns in our form ----

  private static Txn convert(int type, Record txn, long session) throws IOException {
    switch (type) {
      case OpCode.error: {
        Code c = Code.of(((ErrorTxn) txn).getErr());
        return new Txn.Error(c == Code.UNKNOWN_SESSION ? Code.SESSION_EXPIRED : c);
      }
      case OpCode.create:
      case OpCode.create2: {
        CreateTxn t = (CreateTxn) txn;
        return new Txn.Create(t.getPath(), t.getData(), acl(t.getAcl()),
            t.getEphemeral() ? session : 0, t.getParentCVersion());
      }
      case OpCode.createContainer: {
        CreateContainerTxn t = (CreateContainerTxn) txn;
        return new Txn.Create(t.getPath(), t.getData(), acl(t.getAcl()),
            NodeKind.CONTAINER_OWNER, t.getParentCVersion());
      }
      case OpCode.delete:
      case OpCode.deleteContainer:
        return new Txn.Delete(((DeleteTxn) txn).getPath());
      case OpCode.setData: {
        SetDataTxn t = (SetDataTxn) txn;
        return new Txn.SetData(t.getPath(), t.getData(), t.getVersion());
      }
      case OpCode.setACL: {
        SetACLTxn t = (SetACLTxn) txn;
        return new Txn.SetAcl(t.getPath(), acl(t.getAcl()), t.getVersion());
      }
      case OpCode.check: {
        CheckVersionTxn t = (CheckVersionTxn) txn;
        return new Txn.Check(t.getPath(), t.getVersion());
      }
      case OpCode.createSession:
        return new Txn.CreateSession(((CreateSessionTxn) txn).getTimeOut());
      case OpCode.closeSession:
        return new Txn.CloseSession();
      case OpCode.multi: {
        List<Txn> ops = new ArrayList<>();
        for (org.apache.zookeeper.txn.Txn sub : ((MultiTxn) txn).getTxns()) {
          Record r = switch (sub.getType()) {
            case OpCode.create, OpCode.create2 -> new CreateTxn();
            case OpCode.createContainer -> new CreateContainerTxn();
            case OpCode.delete -> new DeleteTxn();
            case OpCode.setData -> new SetDataTxn();
            case OpCode.check -> new CheckVersionTxn();
            case OpCode.error -> new ErrorTxn();
            default -> throw new IllegalStateException("sub txn type " + sub.getType());
          };
          ByteBufferInputStream.byteBuffer2Record(ByteBuffer.wrap(sub.getData()), r);
          ops.add(convert(sub.getType(), r, session));
        }
        return new Txn.Multi(ops);
      }
      default:
        throw new IllegalStateException("txn type " + type);
    }
  }

  /**
   * ZooKeeper logs the ops before a multi's failure as real txns and turns them into OK errors
   * only when applying; this preparer decides that up front. Same outcome, normalized here.
   */
  private static Txn normalize(Txn t) {
    if (!(t instanceof Txn.Multi m) || m.ops().stream().noneMatch(o -> o instanceof Txn.Error)) {
      return t;
    }
    List<Txn> ops = new ArrayList<>();
    boolean failed = false;
    for (Txn op : m.ops()) {
      if (op instanceof Txn.Error) {
        failed = true;
        ops.add(op);
      } else {
        ops.add(new Txn.Error(failed ? Code.RUNTIME_INCONSISTENCY : Code.OK));
      }
    }
    return new Txn.Multi(ops);
  }

  private static List<Acl> acl(List<org.apache.zookeeper.data.ACL> acl) {
    return acl.stream()
        .map(a -> new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())))
        .toList();
  }

  private static byte[] bytes(Txn t) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TxnCodec.writeTxn(new DataOutputStream(out), t);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
