package dev.paddock.wire;

import java.nio.ByteOrder;
import java.util.Set;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Cuts a client's byte stream into packets: a 4-byte big-endian length, then that many bytes. The
 * first four bytes of a connection may instead be a four-letter word, as ZooKeeper allows. A
 * length that is negative or above the limit is refused as soon as its four bytes arrive, before
 * anything is buffered for it; the stage then reads no further.
 */
final class FrameDecoder extends GraphStage<FlowShape<ByteString, FrameDecoder.Inbound>> {

  sealed interface Inbound {}

  record Frame(byte[] payload) implements Inbound {}

  /** @param argument stmk's trace mask (the eight bytes after the word); 0 for other words */
  record FourLetterWord(String word, long argument) implements Inbound {}

  record Malformed(String reason) implements Inbound {}

  /** Every four-letter word ZooKeeper knows, whether or not this server answers it. */
  static final Set<String> KNOWN_WORDS = Set.of("conf", "cons", "crst", "dirs", "dump", "envi",
      "gtmk", "ruok", "stmk", "srst", "srvr", "stat", "wchc", "wchp", "wchs", "mntr", "isro",
      "hash");
  private static final int TELNET_CLOSE = 0xfff4fffd;

  private final int maxBuffer;
  private final Inlet<ByteString> in = Inlet.create("FrameDecoder.in");
  private final Outlet<Inbound> out = Outlet.create("FrameDecoder.out");
  private final FlowShape<ByteString, Inbound> shape = FlowShape.of(in, out);

  FrameDecoder(int maxBuffer) {
    this.maxBuffer = maxBuffer;
  }

  @Override
  public FlowShape<ByteString, Inbound> shape() {
    return shape;
  }

  /** The word for a connection's first four bytes read as a length, or null. */
  static String fourLetterWord(int firstInt) {
    if (firstInt == TELNET_CLOSE) {
      return "telnet close";
    }
    byte[] b = {(byte) (firstInt >>> 24), (byte) (firstInt >>> 16), (byte) (firstInt >>> 8),
        (byte) firstInt};
    String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    return KNOWN_WORDS.contains(s) ? s : null;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attrs) {
    return new GraphStageLogic(shape) {
      private ByteString buffer = ByteString.emptyByteString();
      private int expected = -1;
      private boolean first = true;
      private boolean stopped;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            buffer = buffer.concat(grab(in));
            drain();
          }

          @Override
          public void onUpstreamFinish() {
            if (stopped) {
              completeStage();
            } else {
              drain();
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            drain();
          }
        });
      }

      private void drain() {
        if (stopped || !isAvailable(out)) {
          return;
        }
        if (expected < 0) {
          if (buffer.size() < 4) {
            need();
            return;
          }
          int len = buffer.iterator().getInt(ByteOrder.BIG_ENDIAN);
          if (first) {
            String word = fourLetterWord(len);
            if (word != null && word.equals("stmk")) {
              // ZooKeeper reads the new trace mask as a long right after the word.
              if (buffer.size() < 12) {
                need();
                return;
              }
              first = false;
              stopped = true;
              push(out, new FourLetterWord(word,
                  buffer.drop(4).iterator().getLong(ByteOrder.BIG_ENDIAN)));
              return;
            }
            first = false;
            if (word != null) {
              stopped = true;
              push(out, new FourLetterWord(word, 0));
              return;
            }
          }
          if (len < 0 || len > maxBuffer) {
            stopped = true;
            push(out, new Malformed("packet length " + len + " is negative or above the "
                + "limit of " + maxBuffer + " bytes (paddock.max-buffer)"));
            return;
          }
          expected = len;
          buffer = buffer.drop(4);
        }
        if (buffer.size() >= expected) {
          byte[] payload = buffer.take(expected).toArray();
          buffer = buffer.drop(expected);
          expected = -1;
          push(out, new Frame(payload));
          return;
        }
        need();
      }

      private void need() {
        if (isClosed(in)) {
          completeStage();
        } else if (!hasBeenPulled(in)) {
          pull(in);
        }
      }
    };
  }
}
