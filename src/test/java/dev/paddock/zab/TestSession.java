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

  private TestSession(TestProbe<SessionOutput> door, SessionOutput.Connected connected) {
    this.door = door;
    this.connected = connected;
    this.session = connected.session();
  }

  public static TestSession open(ActorTestKit kit, QuorumPeer.Status status, int timeoutMs) {
    return attach(kit, status, timeoutMs, 0, null, 0);
  }

  public static TestSession attach(ActorTestKit kit, QuorumPeer.Status status, int timeoutMs,
      long sessionId, byte[] password, long lastZxid) {
    TestProbe<SessionOutput> door = kit.createTestProbe();
    status.sessions().tell(new SessionTrackerActor.Connect(timeoutMs, sessionId, password,
        lastZxid, List.of(), door.ref()));
    SessionOutput out = door.receiveMessage(Duration.ofSeconds(20));
    if (!(out instanceof SessionOutput.Connected c)) {
      throw new AssertionError("not connected: " + out);
    }
    return new TestSession(door, c);
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
        return r;
      } else if (out instanceof SessionOutput.Event e) {
        events.add(e);
      } else {
        throw new AssertionError("unexpected " + out);
      }
    }
  }

  public Result call(Op op) {
    int id = submit(op);
    SessionOutput.Reply r = nextReply();
    assertEquals(id, r.cxid());
    return r.result();
  }

  public List<SessionOutput.Event> events() {
    return events;
  }

  public TestProbe<SessionOutput> door() {
    return door;
  }
}
