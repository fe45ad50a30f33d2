package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.tree.TreeSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone server stopped while batches are being written: after a restart every
 * acknowledged txn is there, and every multi is there entirely or not at all.
 */
class StandaloneRecoveryTest {
  @TempDir Path dir;

  @Test
  void stoppedMidBatchKeepsEveryAcknowledgedTxnAndNoHalfMulti() {
    Config config = TestNodes.standaloneConfig(dir, Map.of("paddock.snap-count", 300));
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    Set<Integer> ackedMultis = new HashSet<>();
    int submitted = 2000;
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit, system, Duration.ofSeconds(30));
      TestProbe<SessionOutput> door = kit.createTestProbe();
      status.sessions().tell(new SessionTrackerActor.Connect(30_000, 0, null, 0, List.of(),
          door.ref()));
      var session = door.expectMessageClass(SessionOutput.Connected.class,
          Duration.ofSeconds(10)).session();
      session.tell(new SessionActor.Submit(1, new Op.Create("/m", null, Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT)));
      door.expectMessageClass(SessionOutput.Reply.class, Duration.ofSeconds(10));
      for (int i = 0; i < submitted; i++) {
        List<Op.Write> ops = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
          ops.add(new Op.Create("/m/" + i + "-" + k, new byte[100], Acl.OPEN_ACL_UNSAFE,
              CreateMode.PERSISTENT));
        }
        session.tell(new SessionActor.Submit(10 + i, new Op.Multi(ops)));
      }
      // Stop in the middle: a third of the way through the acknowledgements.
      while (ackedMultis.size() < submitted / 3) {
        SessionOutput.Reply r = door.expectMessageClass(SessionOutput.Reply.class,
            Duration.ofSeconds(30));
        assertTrue(r.result().isOk(), "multi " + r.cxid() + " failed: " + r.result());
        ackedMultis.add(r.cxid() - 10);
      }
    } finally {
      kit.shutdownTestKit();
    }

    ActorSystem<QuorumPeer.Command> again =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit2 = ActorTestKit.create(again);
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit2, again, Duration.ofSeconds(30));
      TestProbe<DataTreeActor.Info> info = kit2.createTestProbe();
      status.tree().tell(new DataTreeActor.GetInfo(info.ref()));
      TreeSnapshot t = info.receiveMessage(Duration.ofSeconds(10)).snapshot();
      for (int i = 0; i < submitted; i++) {
        int present = 0;
        for (int k = 0; k < 3; k++) {
          present += t.node("/m/" + i + "-" + k) != null ? 1 : 0;
        }
        if (ackedMultis.contains(i)) {
          assertEquals(3, present, "acknowledged multi " + i + " is incomplete");
        } else {
          assertTrue(present == 0 || present == 3, "multi " + i + " is half applied");
        }
      }
      assertTrue(ackedMultis.size() >= submitted / 3);
    } finally {
      kit2.shutdownTestKit();
    }
  }
}
