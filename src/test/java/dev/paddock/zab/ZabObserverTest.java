package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three voters and an observer: the observer gets every committed txn, serves reads, forwards
 * writes, and never counts for (or against) the quorum.
 */
class ZabObserverTest {
  private static final int OBSERVER = 4;

  @TempDir Path dir;

  @Test
  void observerReplicatesServesAndNeverMattersForTheQuorum() {
    try (Ensemble e = new Ensemble(dir, 3, 1, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      assertEquals("observer", e.status(OBSERVER).mode());
      AckedWrites writes = new AckedWrites();
      TestSession viaLeader = TestSession.open(e.kit(leader), e.status(leader), 60_000);
      TestSession viaObserver = TestSession.open(e.kit(OBSERVER), e.status(OBSERVER), 60_000);

      writes.createMany(viaLeader, "/from-leader-", 10);
      writes.createMany(viaObserver, "/from-observer-", 10);
      viaObserver.call(new Op.Sync("/"));
      Result.Data d = assertInstanceOf(Result.Data.class,
          viaObserver.call(new Op.GetData("/from-leader-9", false)));
      assertArrayEquals(AckedWrites.data("/from-leader-9"), d.data());
      e.awaitConverged();

      // Without the observer the voters go on: same leader, writes still acknowledged.
      e.kill(OBSERVER);
      writes.createMany(viaLeader, "/observer-down-", 10);
      assertEquals(leader, e.awaitServing());
      // Back again, it catches up on what it missed without any further write.
      e.start(OBSERVER);
      e.awaitServing();
      e.awaitConverged();
      writes.assertPresent(e);

      // Two voters of three are still a quorum; the observer follows whoever leads next.
      e.kill(leader);
      List<Integer> rest = List.of(leader == 1 ? 2 : 1, 6 - leader - (leader == 1 ? 2 : 1),
          OBSERVER);
      int next = e.awaitServing(rest, Ensemble.WAIT);
      assertNotEquals(OBSERVER, next);
      TestSession again = TestSession.open(e.kit(OBSERVER), e.status(OBSERVER), 60_000);
      writes.createMany(again, "/voter-down-", 10);
      e.awaitConverged();
      writes.assertPresent(e);

      e.start(leader);
      e.awaitServing();
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }
}
