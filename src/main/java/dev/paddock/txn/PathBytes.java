package dev.paddock.txn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A znode path as its UTF-8 bytes, the form the tree keeps and a create txn carries, so that the
 * txn and the znode it makes share one array. Valid paths hold no surrogates, so the encoding is
 * one-to-one: bytes from storage or a peer are accepted only if they are what a path encodes to.
 */
public final class PathBytes {
  private PathBytes() {}

  /** The bytes of a path; a path with a surrogate is no valid path and has none. */
  public static byte[] of(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (Character.isSurrogate(path.charAt(i))) {
        throw new IllegalArgumentException("invalid character @" + i + " in a znode path");
      }
    }
    return path.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Bytes read from storage or a peer, checked to be what {@link #of} makes of their path:
   * bytes that are no valid UTF-8 would otherwise name a znode no client path can reach.
   */
  public static byte[] canonical(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        byte[] again = of(new String(bytes, StandardCharsets.UTF_8));
        if (!Arrays.equals(again, bytes)) {
          throw new IllegalArgumentException("a znode path that is not valid UTF-8");
        }
        return bytes;
      }
    }
    return bytes;
  }

  public static String path(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
