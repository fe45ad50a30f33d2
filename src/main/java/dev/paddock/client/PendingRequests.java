package dev.paddock.client;

import dev.paddock.api.Code;
import dev.paddock.client.PaddockClient.AddAuth;
import dev.paddock.client.PaddockClient.Command;
import dev.paddock.client.PaddockClient.Request;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;

/**
 * Everything a client owes an answer: requests sent on the current connection (by xid), requests
 * waiting for a connection, credentials awaiting the server's verdict, and extra Close calls. Every
 * request leaves this book exactly once, with a reply.
 */
final class PendingRequests {
  record Sent(Request<?> request, Op op) {}

  record Queued(Command command, Op op, long deadline) {}

  /** Replayed credentials have no one to answer; only their order matters. */
  private record AuthWaiter(AddAuth request, boolean replay) {}

  private final Map<Integer, Sent> outstanding = new LinkedHashMap<>();
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();
  private final ArrayDeque<AuthWaiter> authWaiters = new ArrayDeque<>();
  private final List<Request<?>> extraCloses = new ArrayList<>();
  private int nextXid = 1;

  void queue(Command c, Op op, long deadline) {
    queued.addLast(new Queued(c, op, deadline));
  }

  Queued pollQueued() {
    return queued.pollFirst();
  }

  /** Returns the xid the request goes out with: 1, 2, 3... across connections. */
  int sent(Request<?> r, Op op) {
    int xid = nextXid;
    nextXid = nextXid == Integer.MAX_VALUE ? 1 : nextXid + 1;
    outstanding.put(xid, new Sent(r, op));
    return xid;
  }

  /** Auth replies carry no xid; the session answers them in the order they were sent. */
  void authSent(AddAuth a, boolean replay) {
    authWaiters.addLast(new AuthWaiter(a, replay));
  }

  Sent replied(int cxid) {
    return outstanding.remove(cxid);
  }

  /** The caller's AddAuth this auth reply belongs to, or null for a replayed one. */
  AddAuth authReplied() {
    AuthWaiter w = authWaiters.pollFirst();
    return w == null || w.replay() ? null : w.request();
  }

  void extraClose(Request<?> close) {
    extraCloses.add(close);
  }

  /**
   * Fails queued requests whose deadline passed with CONNECTION_LOSS; returns true when a Close
   * was among them.
   */
  boolean expire(long now, long zxid) {
    boolean close = false;
    Iterator<Queued> it = queued.iterator();
    while (it.hasNext()) {
      Queued q = it.next();
      if (now - q.deadline() >= 0) {
        it.remove();
        close |= q.op() instanceof Op.CloseSession;
        answer(q.command(), Code.CONNECTION_LOSS, zxid);
      }
    }
    return close;
  }

  /** The connection is gone: whatever was sent on it can no longer be answered. */
  void failSent(Code code, Code closeCode, long zxid) {
    for (Sent s : outstanding.values()) {
      answer(s.request(), s.op() instanceof Op.CloseSession ? closeCode : code, zxid);
    }
    outstanding.clear();
    for (AuthWaiter w : authWaiters) {
      if (!w.replay()) {
        answer(w.request(), code, zxid);
      }
    }
    authWaiters.clear();
  }

  void failAll(Code code, Code closeCode, long zxid) {
    failSent(code, closeCode, zxid);
    for (Queued q : queued) {
      answer(q.command(), q.op() instanceof Op.CloseSession ? closeCode : code, zxid);
    }
    queued.clear();
    for (Request<?> r : extraCloses) {
      answer(r, closeCode, zxid);
    }
    extraCloses.clear();
  }

  /** Answers with a code the client decided itself (OK: a Close or an accepted AddAuth). */
  static void answer(Command c, Code code, long zxid) {
    if (c instanceof Request<?> r) {
      complete(r, code == Code.OK ? Result.DONE : Result.fail(code), zxid);
    } else if (c instanceof AddAuth a) {
      a.replyTo().tell(code == Code.OK ? Reply.ok(Done.getInstance(), zxid)
          : Reply.error(code, zxid));
    }
  }

  static <T> void complete(Request<T> r, Result result, long zxid) {
    Code code = result.code();
    T value;
    try {
      value = code == Code.OK ? r.valueOf(result) : r.failureValue(result);
    } catch (ClassCastException e) {
      // A result of the wrong shape is a protocol bug; answer instead of crashing the client.
      code = Code.MARSHALLING_ERROR;
      value = null;
    }
    r.replyTo().tell(new Reply<>(code, value, zxid));
  }
}
