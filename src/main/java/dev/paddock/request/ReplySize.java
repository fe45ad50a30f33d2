package dev.paddock.request;

import dev.paddock.tree.DataNode;
import java.util.List;

/**
 * What a read's reply will take on the wire, in ZooKeeper's jute encoding, computed from the
 * tree before the reply exists. A reply must fit in the client's jute.maxbuffer: one that would
 * not is refused before it is assembled, so a multiRead of thousands of large nodes never
 * costs the server the memory of its reply.
 */
public final class ReplySize {
  /** Length prefix, then the reply header: xid, zxid, error code. */
  static final int HEADER = 4 + 16;
  /** A Stat: six longs, five ints. */
  static final int STAT = 68;
  /** A multi's per-op header: type, done flag, error; the last one ends the list. */
  static final int MULTI_HEADER = 9;
  /** An op's error inside a multi. */
  static final int MULTI_ERROR = 4;
  /**
   * Room for one node's headers over max-buffer: data may be up to max-buffer bytes, and
   * reading such a node on its own must still work.
   */
  public static final int HEADROOM = 1024;

  private ReplySize() {}

  /** getData: the data as a length-prefixed buffer, then the stat. */
  static long data(DataNode n) {
    return 4L + (n.data() == null ? 0 : n.data().length) + STAT;
  }

  /** getChildren2 (the larger form): the names as a vector of strings, then the stat. */
  static long children(DataNode n) {
    return 4 + STAT + n.childPaths().namesWireSize();
  }

  static long paths(List<String> paths) {
    long size = 4;
    for (String p : paths) {
      size += 4 + utf8Length(p);
    }
    return size;
  }

  /** Bytes of {@code s} in UTF-8, without encoding it (a surrogate pair counts 3 + 3). */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return n;
  }
}
