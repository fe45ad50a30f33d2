package dev.paddock.wire;

import org.apache.pekko.util.ByteString;

/**
 * A request of one connection awaiting its reply; {@code bytes} is set once it is answered,
 * and it leaves when every earlier one has. It holds {@code place} bytes in the server's
 * request gate (or -1: none) until its reply is queued.
 */
final class PendingReply {
  final int xid;
  final int opcode;
  final Requests.ToSession request;
  final long place;
  final long startNanos = System.nanoTime();
  ByteString bytes;
  long zxid;
  /** The connection closes once this reply is sent. */
  boolean last;

  PendingReply(int xid, int opcode, Requests.ToSession request, long place) {
    this.xid = xid;
    this.opcode = opcode;
    this.request = request;
    this.place = place;
  }
}
