package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionOutput;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers every write a client saw acknowledged, and checks that each replica holds all of
 * them: the one property a crash, a partition or a leader change must never break.
 */
final class AckedWrites {
  private final Map<String, byte[]> acked = new LinkedHashMap<>();

  /** Creates {@code count} nodes under {@code prefix} pipelined, recording each acknowledgement. */
  void createMany(TestSession s, String prefix, int count) {
    int first = -1;
    for (int i = 0; i < count; i++) {
      int cxid = s.submit(new Op.Create(prefix + i, data(prefix + i), Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT));
      first = first < 0 ? cxid : first;
    }
    for (int i = 0; i < count; i++) {
      SessionOutput.Reply r = s.nextReply();
      Result.Created c = assertInstanceOf(Result.Created.class, r.result(),
          "create " + prefix + i);
      acked.put(c.path(), data(c.path()));
    }
  }

  void create(TestSession s, String path) {
    assertInstanceOf(Result.Created.class, s.call(new Op.Create(path, data(path),
        Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)), "create " + path);
    acked.put(path, data(path));
  }

  int size() {
    return acked.size();
  }

  /** Every acknowledged write is on every running replica. */
  void assertPresent(Ensemble e) {
    for (int id : e.ids()) {
      if (e.running(id)) {
        TreeSnapshot t = e.info(id).snapshot();
        for (Map.Entry<String, byte[]> w : acked.entrySet()) {
          DataNode n = t.node(w.getKey());
          assertNotNull(n, "server " + id + " lost acknowledged " + w.getKey());
          assertArrayEquals(w.getValue(), n.data(), "server " + id + " data of " + w.getKey());
        }
      }
    }
  }

  static void assertAbsent(Ensemble e, String path) {
    for (int id : e.ids()) {
      if (e.running(id)) {
        assertNull(e.info(id).snapshot().node(path), "server " + id + " has " + path);
      }
    }
  }

  static byte[] data(String path) {
    return path.getBytes(StandardCharsets.UTF_8);
  }
}
