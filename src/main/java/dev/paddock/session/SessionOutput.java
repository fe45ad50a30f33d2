package dev.paddock.session;

import dev.paddock.api.Code;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.Result;
import org.apache.pekko.actor.typed.ActorRef;

/** What a session tells its front door (a wire connection or a typed client). */
public sealed interface SessionOutput {

  /** The session is open; further requests go to {@code session}. */
  record Connected(long sessionId, byte[] password, int timeoutMs, long lastZxid,
      ActorRef<SessionActor.Command> session) implements SessionOutput {}

  record Reply(int cxid, long zxid, Result result) implements SessionOutput {}

  record Event(WatchEvent event) implements SessionOutput {}

  /** The answer to a ping, with the server's newest zxid. */
  record Pong(long zxid) implements SessionOutput {}

  /** The answer to an auth packet; AUTH_FAILED is followed by {@link Closed}. */
  record AuthReply(Code code) implements SessionOutput {}

  record Closed(Reason reason, String detail) implements SessionOutput {}

  enum Reason {
    /** The client closed the session. */
    CLOSED,
    /** The session timed out or was never valid; the client must start a new one. */
    EXPIRED,
    /** The session was re-attached elsewhere; this connection is stale. */
    MOVED,
    AUTH_FAILED,
    /** The client has seen a newer zxid than this server has; it should try another server. */
    STALE_SERVER,
    /** This server cannot serve right now (no leader, shutting down); try again or elsewhere. */
    UNAVAILABLE
  }
}
