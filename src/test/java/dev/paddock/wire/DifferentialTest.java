package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One seeded random sequence of operations, run against Paddock and a real ZooKeeper; every
 * result, error code and Stat must agree. Stat fields that hold times, zxids or session ids are
 * compared by their relations (which zxid is newer, whether a node is ephemeral and whose),
 * since their values legitimately differ between two servers.
 */
class DifferentialTest {
  private static final int OPS = Integer.getInteger("paddock.differential.ops", 1500);
  private static final long SEED = Long.getLong("paddock.differential.seed", 20240611L);
  private static final String[] NAMES = {"a", "b", "c"};

  @TempDir Path paddockDir;
  @TempDir Path zkDir;

  /** One server's two sessions and what has been observed there. */
  private static final class Side {
    final ZooKeeper main;
    final ZooKeeper other;
    final List<Long> zxids = new ArrayList<>();

    Side(ZooKeeper main, ZooKeeper other) {
      this.main = main;
      this.other = other;
    }

    String owner(long ephemeralOwner) {
      if (ephemeralOwner == 0) {
        return "none";
      }
      return ephemeralOwner == main.getSessionId() ? "main"
          : ephemeralOwner == other.getSessionId() ? "other" : "unknown";
    }

    String stat(Stat s) {
      if (s == null) {
        return "null";
      }
      zxids.add(s.getCzxid());
      zxids.add(s.getMzxid());
      zxids.add(s.getPzxid());
      return "v" + s.getVersion() + " cv" + s.getCversion() + " av" + s.getAversion()
          + " len" + s.getDataLength() + " kids" + s.getNumChildren()
          + " owner=" + owner(s.getEphemeralOwner())
          + " c=m:" + (s.getCzxid() == s.getMzxid()) + " c=p:" + (s.getCzxid() == s.getPzxid())
          + " m?p:" + Long.signum(s.getMzxid() - s.getPzxid());
    }
  }

  @Test
  void paddockAgreesWithZooKeeper() throws Exception {
    try (PaddockServer paddock = PaddockServer.start(paddockDir);
        TestingServer zk = ReferenceZooKeeper.start(zkDir)) {
      Side p = side(paddock.connectString());
      Side z = side(zk.getConnectString());
      try {
        Random random = new Random(SEED);
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int i = 0; i < OPS; i++) {
          long opSeed = random.nextLong();
          String desc = describe(new Random(opSeed));
          String rp = run(p, new Random(opSeed));
          String rz = run(z, new Random(opSeed));
          assertEquals(rz, rp, "op " + i + ": " + desc);
          String outcome = rp.startsWith("error") ? rp.split(" ")[0] + " " + rp.split(" ")[1]
              : rp.split(" ")[0];
          outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.println("differential seed " + SEED + ": " + OPS + " ops agree; " + outcomes);
        assertEquals(ranks(z.zxids), ranks(p.zxids), "order of the zxids seen in Stats");
      } finally {
        for (Side s : List.of(p, z)) {
          s.main.close();
          s.other.close();
        }
      }
    }
  }

  private static Side side(String connect) throws Exception {
    ZooKeeper main = PaddockServer.connect(connect, 30_000, new LinkedBlockingQueue<>());
    ZooKeeper other = PaddockServer.connect(connect, 30_000, new LinkedBlockingQueue<>());
    main.addAuthInfo("digest", "main:pw".getBytes());
    main.create("/d", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    return new Side(main, other);
  }

  /** Dense ranks: equal vectors mean both servers ordered the observed zxids the same way. */
  private static List<Integer> ranks(List<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).distinct().sorted().toArray();
    List<Integer> out = new ArrayList<>(values.size());
    for (long v : values) {
      out.add(Arrays.binarySearch(sorted, v));
    }
    return out;
  }

  private static String path(Random r) {
    StringBuilder sb = new StringBuilder("/d");
    int roll = r.nextInt(20);
    int depth = roll < 10 ? 1 : roll < 17 ? 2 : 3;
    for (int i = 0; i < depth; i++) {
      sb.append('/').append(NAMES[r.nextInt(NAMES.length)]);
    }
    return sb.toString();
  }

  private static final CreateMode[] MODES = CreateMode.values();

  private static List<ACL> acl(Random r) throws Exception {
    return switch (r.nextInt(24)) {
      case 0 -> ZooDefs.Ids.READ_ACL_UNSAFE;
      case 1 -> ZooDefs.Ids.CREATOR_ALL_ACL;
      case 2 -> new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, new Id("digest",
          DigestAuthenticationProvider.generateDigest("stranger:pw")))));
      case 3 -> new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, new Id("ip", "127.0.0.1"))));
      default -> ZooDefs.Ids.OPEN_ACL_UNSAFE;
    };
  }

  private static byte[] data(Random r) {
    return r.nextInt(8) == 0 ? null : ("v" + r.nextInt(100)).getBytes();
  }

  private static int version(Random r) {
    return r.nextBoolean() ? -1 : r.nextInt(3);
  }

  private static String describe(Random r) {
    return "kind " + r.nextInt(14);
  }

  /** Runs one op, chosen by {@code r}, and renders everything it returned. */
  private static String run(Side s, Random r) throws Exception {
    int kind = r.nextInt(14);
    ZooKeeper zk = r.nextInt(4) == 0 ? s.other : s.main;
    String path = path(r);
    try {
      switch (kind) {
        case 0, 1, 2: {
          CreateMode mode = MODES[r.nextInt(MODES.length)];
          Stat st = new Stat();
          String made = mode.isTTL()
              ? zk.create(path, data(r), acl(r), mode, st, 1000 + r.nextInt(100_000))
              : zk.create(path, data(r), acl(r), mode, st);
          return "created " + made + " " + s.stat(st);
        }
        case 3:
          zk.delete(path, version(r));
          return "deleted";
        case 4:
          return "set " + s.stat(zk.setData(path, data(r), version(r)));
        case 5:
          return "exists " + s.stat(zk.exists(path, false));
        case 6: {
          Stat st = new Stat();
          byte[] d = zk.getData(path, false, st);
          return "data " + (d == null ? "null" : new String(d)) + " " + s.stat(st);
        }
        case 7: {
          Stat st = new Stat();
          List<String> kids = new ArrayList<>(zk.getChildren(path, false, st));
          kids.sort(null);
          return "children " + kids + " " + s.stat(st);
        }
        case 8: {
          Stat st = new Stat();
          return "acl " + zk.getACL(path, st) + " " + s.stat(st);
        }
        case 9:
          return "setAcl " + s.stat(zk.setACL(path, acl(r), version(r)));
        case 10, 11:
          return multi(s, zk, r);
        case 12:
          return "count " + zk.getAllChildrenNumber(path);
        default: {
          List<String> mine = new ArrayList<>(zk.getEphemerals("/d"));
          mine.sort(null);
          return "ephemerals " + mine;
        }
      }
    } catch (KeeperException e) {
      return "error " + e.code() + (e.getResults() == null ? "" : " " + results(s, e.getResults()));
    }
  }

  private static String multi(Side s, ZooKeeper zk, Random r) throws Exception {
    int n = 1 + r.nextInt(4);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String path = path(r);
      switch (r.nextInt(4)) {
        case 0 -> {
          CreateMode mode = MODES[r.nextInt(MODES.length)];
          ops.add(mode.isTTL()
              ? Op.create(path, data(r), acl(r), mode, 5000)
              : Op.create(path, data(r), acl(r), mode));
        }
        case 1 -> ops.add(Op.delete(path, version(r)));
        case 2 -> ops.add(Op.setData(path, data(r), version(r)));
        default -> ops.add(Op.check(path, version(r)));
      }
    }
    return "multi " + results(s, zk.multi(ops));
  }

  private static String results(Side s, List<OpResult> results) {
    StringBuilder sb = new StringBuilder("[");
    for (OpResult o : results) {
      if (o instanceof OpResult.CreateResult c) {
        sb.append("create ").append(c.getPath()).append(' ').append(s.stat(c.getStat()));
      } else if (o instanceof OpResult.SetDataResult d) {
        sb.append("set ").append(s.stat(d.getStat()));
      } else if (o instanceof OpResult.ErrorResult e) {
        sb.append("err ").append(e.getErr());
      } else {
        sb.append(o.getClass().getSimpleName());
      }
      sb.append("; ");
    }
    return sb.append(']').toString();
  }
}
