package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleBasicsTest {
  @TempDir Path dir;

  @Test
  void threeServersElectReplicateAndAgree() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int follower = leader == 1 ? 2 : 1;
      TestSession viaLeader = TestSession.open(e.kit(leader), e.status(leader), 10_000);
      TestSession viaFollower = TestSession.open(e.kit(follower), e.status(follower), 10_000);
      assertInstanceOf(Result.Created.class, viaLeader.call(new Op.Create("/a",
          bytes("1"), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
      assertInstanceOf(Result.Created.class, viaFollower.call(new Op.Create("/a/b",
          bytes("2"), Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL)));
      viaFollower.call(new Op.Sync("/"));
      Result.Data d = assertInstanceOf(Result.Data.class,
          viaFollower.call(new Op.GetData("/a", false)));
      assertArrayEquals(bytes("1"), d.data());
      for (int i = 0; i < 200; i++) {
        viaFollower.submit(new Op.SetData("/a", bytes("v" + i), -1));
      }
      for (int i = 0; i < 200; i++) {
        assertInstanceOf(Result.StatOf.class, viaFollower.nextReply().result());
      }
      e.awaitConverged();
      assertEquals(e.info(1).digest(), e.info(3).digest());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
