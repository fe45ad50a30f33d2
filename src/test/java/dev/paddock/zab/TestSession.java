package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paddock.node.QuorumPeer;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** A session driven directly through the session protocol, as a front door would. */
public final class TestSession {
  private final TestProbe<SessionOutput> door;
  private final ActorRef<SessionActor.Command> session;
  private final SessionOutput.Connected connected;
  private final List<SessionOutput.Event> events = new ArrayList<>();
  private int cxid;
  private long lastZxid;

  private TestSession(TestProbe<SessionOutput> door, SessionOutput.Connected connected) {
    this.door = door;
    this.connected = connected;
    this.session = connected.session();
    this.lastZxid = Math.max(0, connected.lastZxid());
  }

  public static TestSession open(ActorTestKit kit, QuorumPeer.Status status, int timeoutMs) {
    return attach(kit, status, timeoutMs, 0, null, 0);
  }

  public static TestSession attach(ActorTestKit kit, QuorumPeer.Status status, int timeoutMs,
      long sessionId, byte[] password, long lastZxid) {
    TestProbe<SessionOutput> door = kit.createTestProbe();
    SessionOutput out = connect(door, status, timeoutMs, sessionId, password, lastZxid);
    if (!(out instanceof SessionOutput.Connected c)) {
      throw new AssertionError("not connected: " + out);
    }
    return new TestSession(door, c);
  }

  /** Asks for a new session and returns the first answer: Connected or Closed (refused). */
  public static SessionOutput tryOpen(ActorTestKit kit, QuorumPeer.Status status, int timeoutMs) {
    return connect(kit.createTestProbe(), status, timeoutMs, 0, null, 0);
  }

  private static SessionOutput connect(TestProbe<SessionOutput> door, QuorumPeer.Status status,
      int timeoutMs, long sessionId, byte[] password, long lastZxid) {
    status.sessions().tell(new SessionTrackerActor.Connect(timeoutMs, sessionId, password,
        lastZxid, List.of(), door.ref()));
    return door.receiveMessage(Duration.ofSeconds(20));
  }

  public long id() {
    return connected.sessionId();
  }

  public byte[] password() {
    return connected.password();
  }

  public int submit(Op op) {
    session.tell(new SessionActor.Submit(++cxid, op));
    return cxid;
  }

  /** The next reply; events that arrive first are kept in {@link #events()}. */
  public SessionOutput.Reply nextReply() {
    while (true) {
      SessionOutput out = door.receiveMessage(Duration.ofSeconds(20));
      if (out instanceof SessionOutput.Reply r) {
        lastZxid = Math.max(lastZxid, r.zxid());
        return r;
      } else if (out instanceof SessionOutput.Event e) {
        events.add(e);
      } else {
        throw new AssertionError("unexpected " + out);
      }
    }
  }

  /** A keep-alive round trip: the session counts as heard from. */
  public void ping() {
    session.tell(new SessionActor.Ping());
    door.expectMessageClass(SessionOutput.Pong.class, Duration.ofSeconds(20));
  }

  public Result call(Op op) {
    int id = submit(op);
    SessionOutput.Reply r = nextReply();
    assertEquals(id, r.cxid());
    return r.result();
  }

  /**
   * Waits for the session to end and returns why. Events on the way are kept; a reply fails the
   * test, since every caller expects that nothing outstanding gets acknowledged.
   */
  public SessionOutput.Closed awaitClosed(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      SessionOutput out = door.receiveMessage(left);
      if (out instanceof SessionOutput.Closed c) {
        return c;
      } else if (out instanceof SessionOutput.Event e) {
        events.add(e);
      } else {
        throw new AssertionError("expected the session to end without a reply, got " + out);
      }
    }
  }

  public long lastZxid() {
    return lastZxid;
  }

  public List<SessionOutput.Event> events() {
    return events;
  }

  public TestProbe<SessionOutput> door() {
    return door;
  }
}
