package dev.paddock.session;

import dev.paddock.api.Code;
import dev.paddock.request.Op;

/**
 * Ops that only the server itself may issue. A session opens with the CreateSession its tracker
 * submits (with the negotiated timeout), and a CloseSession always closes the session that sends
 * it; letting a client submit either would let it pick its own timeout or end a session from
 * inside a multi, so a client request holding one is answered without being executed.
 */
public final class ServerOnlyOps {
  private ServerOnlyOps() {}

  /** The code a client request is refused with, or null when a client may send it. */
  public static Code refusal(Op op) {
    if (op instanceof Op.CreateSession) {
      return Code.UNIMPLEMENTED;
    }
    if (op instanceof Op.Multi m) {
      for (Op.Write w : m.ops()) {
        if (w instanceof Op.CreateSession || w instanceof Op.CloseSession
            || w instanceof Op.Multi) {
          return Code.UNIMPLEMENTED;
        }
      }
    }
    return null;
  }
}
