package dev.paddock.zab;

import static dev.paddock.zab.LeaderHarness.conn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.request.WriteRequest;
import dev.paddock.tree.DataTree;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import dev.paddock.txnlog.TxnLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader's protocol rules, one at a time, on the pure state machine: each test is a
 * sequence of events that the scenario tests on real actor systems would reach only by luck.
 */
class LeaderStateTest {
  private static WriteRequest create(long session, int cxid, String path) {
    return new WriteRequest(session, cxid, new Op.Create(path, new byte[0], Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT, -1), List.of());
  }

  private static TxnEntry session(LeaderHarness h, long id) {
    return h.propose(new WriteRequest(id, 0, new Op.CreateSession(30_000), List.of()));
  }

  @Test
  void anAckFromALearnerStillSyncingDoesNotCountTowardACommit() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.establish(2);
    h.from(3, new Packet.FollowerInfo(conn(3), 0, 0, false));
    h.from(3, new Packet.AckEpoch(conn(3), 0, 0));
    TxnEntry w = h.propose(create(0, 1, "/w"));
    // Learner 3 logged w as part of its sync, but has not acknowledged NEWLEADER.
    h.from(3, new Packet.Ack(conn(3), w.zxid()));
    assertFalse(h.committed(w.zxid()), "an ack from a syncing learner made a quorum");
    h.from(2, new Packet.Ack(conn(2), w.zxid()));
    assertTrue(h.committed(w.zxid()));
  }

  @Test
  void thePlantedBugCountsThatAck() {
    LeaderHarness h = new LeaderHarness(3, new TxnLog.Snapshot(0, 0, 0, 0, List.of()),
        new DataTree(), 100, 1, new ZabBugs(true, false, false, false));
    h.establish(2);
    h.from(3, new Packet.FollowerInfo(conn(3), 0, 0, false));
    h.from(3, new Packet.AckEpoch(conn(3), 0, 0));
    TxnEntry w = h.propose(create(0, 1, "/w"));
    h.from(3, new Packet.Ack(conn(3), w.zxid()));
    assertTrue(h.committed(w.zxid()));
  }

  @Test
  void theNewEpochBecomesCurrentOnlyOnceAQuorumAcknowledgedIt() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.from(2, new Packet.FollowerInfo(conn(2), 0, 0, false));
    h.confirm(LogOp.AcceptEpoch.class);
    assertFalse(h.any(e -> e instanceof ZabEffect.Persist p
        && p.op() instanceof LogOp.SetCurrentEpoch), "current epoch before any learner acked");
    h.from(2, new Packet.AckEpoch(conn(2), 0, 0));
    assertTrue(h.any(e -> e instanceof ZabEffect.Persist p
        && p.op() instanceof LogOp.SetCurrentEpoch));
  }

  @Test
  void aLeaderThatGivesUpInDiscoveryKeepsItsOldCurrentEpoch() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.from(2, new Packet.FollowerInfo(conn(2), 0, 0, false));
    h.confirm(LogOp.AcceptEpoch.class);
    h.from(2, new Packet.AckEpoch(conn(2), 0, Zxid.of(1, 5)));
    assertTrue(h.any(e -> e instanceof ZabEffect.StepDown));
    assertFalse(h.any(e -> e instanceof ZabEffect.Persist p
        && p.op() instanceof LogOp.SetCurrentEpoch), "a deposed leader recorded the epoch");
  }

  @Test
  void aSyncIsAnsweredOnlyAfterAQuorumEchoesAPingSentAfterIt() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.establish(2, 3);
    int pingsBefore = h.sent(2, Packet.LeaderPing.class).size();
    h.step(new ZabEvent.ClientSync(42, 7));
    List<Packet.LeaderPing> pings = h.sent(2, Packet.LeaderPing.class);
    assertEquals(pingsBefore + 1, pings.size(), "a sync pings the learners at once");
    long round = pings.get(pings.size() - 1).round();
    assertFalse(h.any(LeaderStateTest::answersSync), "answered before any learner echoed");
    h.from(2, new Packet.LearnerPing(conn(2), List.of(), round - 1));
    assertFalse(h.any(LeaderStateTest::answersSync), "an older echo proves nothing");
    h.from(2, new Packet.LearnerPing(conn(2), List.of(), round));
    assertTrue(h.any(LeaderStateTest::answersSync));
  }

  private static boolean answersSync(ZabEffect e) {
    return e instanceof ZabEffect.Apply a && !a.syncs().isEmpty();
  }

  @Test
  void aLeaderNoQuorumEchoesStepsDownWithinLeaderTimeout() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.establish(2, 3);
    for (int beat = 0; beat < 7; beat++) {
      h.advance(Duration.ofMillis(50));
      h.step(new ZabEvent.Beat());
    }
    assertFalse(h.any(e -> e instanceof ZabEffect.StepDown), "stepped down too early");
    for (int beat = 0; beat < 2; beat++) {
      h.advance(Duration.ofMillis(50));
      h.step(new ZabEvent.Beat());
    }
    assertTrue(h.any(e -> e instanceof ZabEffect.StepDown), "still leading after 450ms");
  }

  @Test
  void theLastCounterOfAnEpochIsNeverUsedAndANewEpochMustBegin() {
    LeaderHarness h = new LeaderHarness(1, new TxnLog.Snapshot(0, 0, 0, 0, List.of()),
        new DataTree(), 100, 0xfffffffeL, ZabBugs.NONE);
    h.confirm(LogOp.AcceptEpoch.class);
    h.confirm(LogOp.SetCurrentEpoch.class);
    TxnEntry last = h.propose(create(0, 1, "/a"));
    assertEquals(0xfffffffeL, Zxid.counter(last.zxid()));
    List<ZabEffect> out = h.step(new ZabEvent.ClientWrite(create(0, 2, "/b")));
    assertInstanceOf(ZabEffect.StepDown.class, out.get(out.size() - 1));
    assertFalse(out.stream().anyMatch(e -> e instanceof ZabEffect.Persist), "wrapped: " + out);
  }

  @Test
  void aWriteThroughTheOldServerAfterTheSessionMovedIsRefused() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.establish(2, 3);
    long id = 0x200000000000001L;
    h.from(2, new Packet.ForwardWrite(conn(2), 1, new WriteRequest(id, 0,
        new Op.CreateSession(30_000), List.of())));
    TxnEntry created = LeaderHarness.appended(h.effects);
    h.step(new ZabEvent.Logged(created.zxid()));
    h.from(2, new Packet.Ack(conn(2), created.zxid()));
    assertTrue(h.committed(created.zxid()));
    // The client re-attaches on server 3, which asks the leader.
    h.from(3, new Packet.Revalidate(conn(3), id, 9));
    assertTrue(h.sent(3, Packet.Revalidated.class).get(0).valid());
    List<ZabEffect> out = h.from(2, new Packet.ForwardWrite(conn(2), 2, create(id, 5, "/late")));
    assertEquals(new Txn.Error(Code.SESSION_MOVED), LeaderHarness.appended(out).txn());
    out = h.from(3, new Packet.ForwardWrite(conn(3), 1, create(id, 6, "/here")));
    assertInstanceOf(Txn.Create.class, LeaderHarness.appended(out).txn());
  }

  @Test
  void onlySessionsTheLeaderKnowsAliveAreRevalidated() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.establish(2, 3);
    h.from(3, new Packet.Revalidate(conn(3), 77, 1));
    assertFalse(h.sent(3, Packet.Revalidated.class).get(0).valid());
  }

  @Test
  void aDroppedLearnersAcksAreForgotten() {
    LeaderHarness h = LeaderHarness.fresh(5);
    h.establish(2, 3, 4, 5);
    TxnEntry w = h.propose(create(0, 1, "/w"));
    h.from(2, new Packet.Ack(conn(2), w.zxid()));
    h.step(new ZabEvent.LinkLost(2));
    h.from(3, new Packet.Ack(conn(3), w.zxid()));
    assertFalse(h.committed(w.zxid()), "counted the ack of a learner no longer connected");
    h.from(4, new Packet.Ack(conn(4), w.zxid()));
    assertTrue(h.committed(w.zxid()));
  }

  @Test
  void aLearnerOneTxnBehindAfterALeaderChangeGetsADiff() {
    DataTree tree = new DataTree();
    List<TxnEntry> log = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      TxnEntry e = new TxnEntry(Zxid.of(1, i), 0, i, 0, new Txn.Create("/n" + i, new byte[0],
          Acl.OPEN_ACL_UNSAFE, 0, i));
      tree.apply(e);
      log.add(e);
    }
    LeaderHarness h = new LeaderHarness(3, new TxnLog.Snapshot(1, 1, Zxid.of(1, 10), 0, log),
        tree, 100, 1, ZabBugs.NONE);
    h.from(2, new Packet.FollowerInfo(conn(2), 1, Zxid.of(1, 9), false));
    h.confirm(LogOp.AcceptEpoch.class);
    h.from(2, new Packet.AckEpoch(conn(2), 1, Zxid.of(1, 9)));
    Packet.SyncStart start = h.sent(2, Packet.SyncStart.class).get(0);
    assertEquals(Packet.SyncMode.DIFF, start.mode());
    assertEquals(Zxid.of(1, 9), start.zxid());
  }

  @Test
  void aLateLearnerWithAHigherAcceptedEpochDoesNotDeposeAnEstablishedLeader() {
    LeaderHarness h = LeaderHarness.fresh(3);
    h.establish(2);
    h.from(3, new Packet.FollowerInfo(conn(3), 7, 0, false));
    assertFalse(h.any(e -> e instanceof ZabEffect.StepDown));
    assertEquals(h.leader.epoch(), h.sent(3, Packet.LeaderInfo.class).get(0).newEpoch());
    assertTrue(h.leader.established());
  }

  /**
   * After a restart the whole log above the snapshot is the leader's history; a learner that
   * is behind gets the tree and every txn after it, however long the log is compared with the
   * diff window.
   */
  @Test
  void aSnapshotSyncCarriesEveryTxnAfterTheTreeWhateverTheWindow() {
    List<TxnEntry> log = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      log.add(new TxnEntry(Zxid.of(1, i), 0, i, 0, new Txn.Create("/n" + i, new byte[0],
          Acl.OPEN_ACL_UNSAFE, 0, i)));
    }
    LeaderHarness h = new LeaderHarness(3, new TxnLog.Snapshot(1, 1, Zxid.of(1, 50), 0, log),
        new DataTree(), 10, 1, ZabBugs.NONE);
    h.from(3, new Packet.FollowerInfo(conn(3), 0, 0, false));
    h.confirm(LogOp.AcceptEpoch.class);
    h.from(3, new Packet.AckEpoch(conn(3), 0, 0));
    Packet.SyncStart start = h.sent(3, Packet.SyncStart.class).get(0);
    List<Long> sent = new ArrayList<>();
    for (ZabEffect e : h.effects) {
      if (e instanceof ZabEffect.Enqueue q && q.learner() == 3
          && q.item() instanceof LearnerQueue.Propose p) {
        sent.add(p.entry().zxid());
      }
    }
    assertEquals(50, sent.size(), start.mode() + " from " + Zxid.toHex(start.zxid()));
    assertEquals(Zxid.of(1, 1), sent.get(0));
  }

  /**
   * The history a new leader commits at establishment is in its tree only later; requests
   * must be checked against it at once (ZooKeeper replays its log before it serves).
   */
  @Test
  void requestsArePreparedAgainstEveryTxnCommittedAtEstablishment() {
    long closed = 0x300000000000007L;
    long open = 0x300000000000008L;
    List<TxnEntry> log = new ArrayList<>();
    int n = 0;
    log.add(new TxnEntry(Zxid.of(1, ++n), closed, 0, 0, new Txn.CreateSession(30_000)));
    log.add(new TxnEntry(Zxid.of(1, ++n), open, 0, 0, new Txn.CreateSession(30_000)));
    log.add(new TxnEntry(Zxid.of(1, ++n), 0, 0, 0, new Txn.Create("/x", new byte[0],
        Acl.OPEN_ACL_UNSAFE, 0, 1)));
    log.add(new TxnEntry(Zxid.of(1, ++n), 0, 0, 0, new Txn.Create("/v", new byte[0],
        Acl.OPEN_ACL_UNSAFE, 0, 2)));
    while (n < 20_000) {
      log.add(new TxnEntry(Zxid.of(1, ++n), 0, 0, 0, new Txn.SetData("/v", new byte[] {1},
          n - 4)));
    }
    log.add(new TxnEntry(Zxid.of(1, ++n), closed, 1, 0, new Txn.CloseSession()));
    DataTree snapshotOnly = new DataTree();
    LeaderHarness h = new LeaderHarness(3, new TxnLog.Snapshot(1, 1, Zxid.of(1, n), 0, log),
        snapshotOnly, 100, 1, ZabBugs.NONE);
    // The tree that would answer reads has not applied the log yet when requests arrive.
    h.applyCommits = false;
    h.from(2, new Packet.FollowerInfo(conn(2), 1, Zxid.of(1, n), false));
    h.confirm(LogOp.AcceptEpoch.class);
    h.from(2, new Packet.AckEpoch(conn(2), 1, Zxid.of(1, n)));
    h.confirm(LogOp.SetCurrentEpoch.class);
    h.from(2, new Packet.AckNewLeader(conn(2), Zxid.of(1, n)));
    assertTrue(h.leader.established());

    TxnEntry multi = h.propose(new WriteRequest(open, 1, new Op.Multi(List.of(
        new Op.Create("/x", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1),
        new Op.Create("/y", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1))),
        List.of()));
    Txn.Multi m = assertInstanceOf(Txn.Multi.class, multi.txn());
    assertEquals(new Txn.Error(Code.NODE_EXISTS), m.ops().get(0));
    int version = 20_000 - 4;
    TxnEntry first = h.propose(new WriteRequest(open, 2, new Op.SetData("/v", new byte[] {2},
        version), List.of()));
    TxnEntry second = h.propose(new WriteRequest(open, 3, new Op.SetData("/v", new byte[] {3},
        version), List.of()));
    assertInstanceOf(Txn.SetData.class, first.txn());
    assertEquals(new Txn.Error(Code.BAD_VERSION), second.txn());
    TxnEntry ephemeral = h.propose(new WriteRequest(closed, 2, new Op.Create("/e", new byte[0],
        Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, -1), List.of()));
    assertEquals(new Txn.Error(Code.SESSION_EXPIRED), ephemeral.txn());
  }
}
