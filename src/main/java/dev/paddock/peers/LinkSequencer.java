package dev.paddock.peers;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-link message numbering of one server, and the receiving side's verdict on each arrival:
 * Zab relies on FIFO channels, so a gap in the numbers or a new incarnation of the sender means
 * messages were lost and whatever relied on the stream must start over (a link reset) before
 * the message is delivered. Pure; the {@link Peers} gateway and the ensemble simulator share it.
 */
public final class LinkSequencer {
  private final Map<Integer, Long> sendSeq = new HashMap<>();
  private final Map<Integer, Long> recvSeq = new HashMap<>();
  private final Map<Integer, Long> recvIncarnation = new HashMap<>();

  /** Number of the next message to {@code to}; numbered even if it never leaves. */
  public long nextSeq(int to) {
    return sendSeq.merge(to, 1L, Long::sum);
  }

  /**
   * A message from a peer this side currently ignores (cut): remember the incarnation, so that
   * after the heal the next message shows up as a gap, not as the start of an intact stream.
   */
  public void ignored(int from, long incarnation) {
    recvIncarnation.putIfAbsent(from, incarnation);
  }

  /** Records an arrival; true when a link reset must be reported before it is delivered. */
  public boolean arrivedNeedsReset(int from, long incarnation, long seq) {
    Long known = recvIncarnation.get(from);
    long expected = recvSeq.getOrDefault(from, 0L) + 1;
    boolean reset;
    if (known == null || known != incarnation) {
      recvIncarnation.put(from, incarnation);
      reset = known != null;
    } else {
      reset = seq != expected;
    }
    recvSeq.put(from, seq);
    return reset;
  }
}
