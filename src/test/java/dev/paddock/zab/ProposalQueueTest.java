package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.paddock.api.Acl;
import dev.paddock.peers.PeerMessage;
import dev.paddock.peers.Peers;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.TxnSize;
import dev.paddock.txn.Zxid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProposalQueueTest {
  private static final ActorTestKit kit = ActorTestKit.create("ProposalQueueTest",
      ConfigFactory.parseString("pekko.actor.provider = local\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s"));

  private static final int LEARNER = 2;
  private static final long CONN = 77;
  /** Small chunks, two unacknowledged at most: the 1.2 MB tree below needs the learner. */
  private static final SnapPacing PACING = new SnapPacing(64 * 1024, 2);

  private TestProbe<Peers.Command> peers;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void probe() {
    peers = kit.createTestProbe();
  }

  private ActorRef<ProposalQueue.Command> queue(boolean observer) {
    return kit.spawn(ProposalQueue.create(LEARNER, CONN, observer,
        (to, m) -> peers.ref().tell(new Peers.Send(to, m)), PACING));
  }

  private static long z(long counter) {
    return Zxid.of(1, counter);
  }

  private static TxnEntry entry(long counter) {
    return new TxnEntry(z(counter), 5, (int) counter, 0, new Txn.Delete("/n" + counter));
  }

  private static TxnEntry big(long counter, int bytes) {
    return new TxnEntry(z(counter), 5, (int) counter, 0,
        new Txn.SetData("/big", new byte[bytes], (int) counter));
  }

  private PeerMessage sent() {
    Peers.Send s = peers.expectMessageClass(Peers.Send.class);
    assertEquals(LEARNER, s.to());
    return s.message();
  }

  private List<Long> proposals() {
    Packet.Proposals p = assertInstanceOf(Packet.Proposals.class, sent());
    assertEquals(CONN, p.connection());
    return p.entries().stream().map(TxnEntry::zxid).toList();
  }

  private List<Long> inform() {
    Packet.Inform p = assertInstanceOf(Packet.Inform.class, sent());
    return p.entries().stream().map(TxnEntry::zxid).toList();
  }

  /** Proposes 1..WINDOW one message at a time; each goes out alone and fills a window slot. */
  private void fillWindow(ActorRef<ProposalQueue.Command> q) {
    for (int i = 1; i <= LearnerQueue.WINDOW; i++) {
      q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(i))));
      assertEquals(List.of(z(i)), proposals());
    }
  }

  @Test
  void packetsGoOutInTheOrderQueued() {
    ActorRef<ProposalQueue.Command> q = queue(false);
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.SyncStart(CONN, Packet.SyncMode.DIFF, z(0)))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.LeaderPing(CONN, 0))));
    assertEquals(new Packet.SyncStart(CONN, Packet.SyncMode.DIFF, z(0)), sent());
    assertEquals(List.of(z(1)), proposals());
    assertEquals(new Packet.Commit(CONN, z(1)), sent());
    assertEquals(new Packet.LeaderPing(CONN, 0), sent());
  }

  @Test
  void theWindowHoldsBackProposalsWhichThenTravelTogether() {
    ActorRef<ProposalQueue.Command> q = queue(false);
    fillWindow(q);
    int w = LearnerQueue.WINDOW;
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 2))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 3))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(2))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.LeaderPing(CONN, 0))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 4))));

    q.tell(new ProposalQueue.Offer(new LearnerQueue.Acked(z(1))));
    assertEquals(List.of(z(w + 1), z(w + 2), z(w + 3)), proposals());
    assertEquals(new Packet.Commit(CONN, z(2)), sent(), "consecutive commits as the newest");
    assertEquals(new Packet.LeaderPing(CONN, 0), sent());
    // One slot was freed and used; the next proposal waits for another ack.
    peers.expectNoMessage(Duration.ofMillis(100));

    q.tell(new ProposalQueue.Offer(new LearnerQueue.Acked(z(w))));
    assertEquals(List.of(z(w + 4)), proposals());
  }

  @Test
  void commitsAreNotMergedAcrossProposals() {
    ActorRef<ProposalQueue.Command> q = queue(false);
    fillWindow(q);
    int w = LearnerQueue.WINDOW;
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(w))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 2))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(w + 1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(w + 2))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Acked(z(w))));
    assertEquals(List.of(z(w + 1)), proposals());
    assertEquals(new Packet.Commit(CONN, z(w)), sent());
    assertEquals(List.of(z(w + 2)), proposals());
    assertEquals(new Packet.Commit(CONN, z(w + 2)), sent());
  }

  @Test
  void anAckFreesEverySlotItCovers() {
    ActorRef<ProposalQueue.Command> q = queue(false);
    fillWindow(q);
    int w = LearnerQueue.WINDOW;
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Acked(z(w))));
    for (int i = 1; i <= w; i++) {
      q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + i))));
      assertEquals(List.of(z(w + i)), proposals());
    }
  }

  @Test
  void aBatchStaysWithinItsByteLimit() {
    ActorRef<ProposalQueue.Command> q = queue(false);
    fillWindow(q);
    int w = LearnerQueue.WINDOW;
    int size = 300_000;
    for (int i = 1; i <= 5; i++) {
      q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(big(w + i, size))));
    }
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Acked(z(w))));
    List<Long> first = proposals();
    List<Long> second = proposals();
    assertEquals(List.of(z(w + 1), z(w + 2), z(w + 3)), first);
    assertEquals(List.of(z(w + 4), z(w + 5)), second);
    assertTrue(3L * TxnSize.of(big(1, size)) <= LearnerQueue.BATCH_BYTES);
  }

  @Test
  void anObserverIsInformedOfCommittedTxnsOnly() {
    ActorRef<ProposalQueue.Command> q = queue(true);
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(2))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(3))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.LeaderPing(CONN, 0))));
    assertEquals(new Packet.LeaderPing(CONN, 0), sent(), "nothing uncommitted goes out");

    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(2))));
    assertEquals(List.of(z(1), z(2)), inform());
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.LeaderPing(CONN, 0))));
    assertEquals(new Packet.LeaderPing(CONN, 0), sent(), "and no commit packet");

    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(3))));
    assertEquals(List.of(z(3)), inform());
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(3))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.LeaderPing(CONN, 0))));
    assertEquals(new Packet.LeaderPing(CONN, 0), sent());
  }

  @Test
  void anObserversInformsAlsoRespectTheWindow() {
    ActorRef<ProposalQueue.Command> q = queue(true);
    int w = LearnerQueue.WINDOW;
    for (int i = 1; i <= w; i++) {
      q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(i))));
      q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(i))));
      assertEquals(List.of(z(i)), inform());
    }
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(w + 1))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(w + 2))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(w + 2))));
    peers.expectNoMessage(Duration.ofMillis(100));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Acked(z(1))));
    assertEquals(List.of(z(w + 1)), inform());
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Acked(z(2))));
    assertEquals(List.of(z(w + 2)), inform());
  }

  private static TreeSnapshot bigTree() {
    DataTree t = new DataTree();
    for (int i = 1; i <= 4; i++) {
      t.apply(new TxnEntry(z(i), 5, i, 0, new Txn.Create("/n" + i, new byte[300_000],
          Acl.OPEN_ACL_UNSAFE, 0, t.get("/").createCount() + 1)));
    }
    return t.snapshot();
  }

  @Test
  void snapshotChunksArriveBeforeLaterPackets() throws Exception {
    ActorRef<ProposalQueue.Command> q = queue(false);
    TreeSnapshot tree = bigTree();
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.SyncStart(CONN, Packet.SyncMode.SNAP, z(4)))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.SendSnapshot(tree)));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Propose(entry(5))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.CommitUpTo(z(5))));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.NewLeader(CONN, 2, z(5)))));

    assertEquals(new Packet.SyncStart(CONN, Packet.SyncMode.SNAP, z(4)), sent());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Integer> indexes = new ArrayList<>();
    Packet.SnapChunk chunk;
    do {
      chunk = assertInstanceOf(Packet.SnapChunk.class, sent());
      assertEquals(CONN, chunk.connection());
      // Whole node records: a chunk is at most one 300 kB node past the chunk size.
      assertTrue(chunk.bytes().length <= 64 * 1024 + 310_000, "chunk " + chunk.bytes().length);
      indexes.add(chunk.index());
      bytes.writeBytes(chunk.bytes());
      if (!chunk.last() && chunk.index() % 2 == 1) {
        // Two chunks out and none acknowledged: the leader waits for the learner.
        peers.expectNoMessage(Duration.ofMillis(200));
        q.tell(new ProposalQueue.Offer(new LearnerQueue.SnapAcked(chunk.index())));
      }
    } while (!chunk.last());
    assertTrue(indexes.size() >= 3, "1.2 MB of data in small chunks: " + indexes);
    for (int i = 0; i < indexes.size(); i++) {
      assertEquals(i, indexes.get(i));
    }
    TreeSnapshot received = TreeSnapshotCodec.read(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(tree.zxid(), received.zxid());
    assertEquals(tree.nodeCount(), received.nodeCount());
    assertArrayEquals(tree.node("/n3").data(), received.node("/n3").data());

    assertEquals(List.of(z(5)), proposals());
    assertEquals(new Packet.Commit(CONN, z(5)), sent());
    assertEquals(new Packet.NewLeader(CONN, 2, z(5)), sent());
  }

  @Test
  void anEmptyTreeIsOneLastChunk() throws Exception {
    ActorRef<ProposalQueue.Command> q = queue(false);
    TreeSnapshot tree = new DataTree().snapshot();
    q.tell(new ProposalQueue.Offer(new LearnerQueue.SendSnapshot(tree)));
    q.tell(new ProposalQueue.Offer(new LearnerQueue.Raw(new Packet.LeaderPing(CONN, 0))));
    Packet.SnapChunk only = assertInstanceOf(Packet.SnapChunk.class, sent());
    assertEquals(0, only.index());
    assertTrue(only.last());
    assertFalse(only.bytes().length == 0);
    assertEquals(tree.nodeCount(), TreeSnapshotCodec.read(
        new DataInputStream(new ByteArrayInputStream(only.bytes()))).nodeCount());
    assertEquals(new Packet.LeaderPing(CONN, 0), sent());
  }
}
