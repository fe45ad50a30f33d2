package dev.paddock.request;

import dev.paddock.api.Id;
import java.util.List;

/** A write on its way to the leader: who sent it, its number in the session, and its identities. */
public record WriteRequest(long sessionId, int cxid, Op.Write op, List<Id> authIds) {
  public WriteRequest {
    authIds = List.copyOf(authIds);
  }
}
