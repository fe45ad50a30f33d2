package dev.paddock.tree;

import dev.paddock.txn.PathBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A znode's path as the tree keeps it: its UTF-8 bytes in one array, shared by the tree's map and
 * the parent's child set. A string would cost another 24 bytes per znode for the same bytes.
 *
 * <p>Valid paths hold no surrogates ({@link Paths#invalidReason}), so their UTF-8 encoding is
 * one-to-one and the unsigned order of the bytes is the order of the strings. Lookups compare a
 * path string with the bytes without encoding it; a probe with characters beyond ASCII compares
 * as strings, which keeps the same order and never matches a key it does not spell.
 */
final class PathKey {
  private PathKey() {}

  /** The key of a path; a path with a surrogate is no valid path and has none. */
  static byte[] of(String path) {
    return PathBytes.of(path);
  }

  /** A key read from storage, checked to be what {@link #of} makes of its path. */
  static byte[] canonical(byte[] bytes) {
    return PathBytes.canonical(bytes);
  }

  static String path(byte[] key) {
    return PathBytes.path(key);
  }

  /** The last name of the path, as a client sees it in getChildren. */
  static String name(byte[] key) {
    int from = lastSlash(key) + 1;
    return new String(key, from, key.length - from, StandardCharsets.UTF_8);
  }

  /** Bytes of the last name. */
  static int nameLength(byte[] key) {
    return key.length - lastSlash(key) - 1;
  }

  /** Index of the last '/' of the key, or -1. */
  static int lastSlash(byte[] key) {
    for (int i = key.length - 1; i >= 0; i--) {
      if (key[i] == '/') {
        return i;
      }
    }
    return -1;
  }

  /** {@code path.hashCode()} of the path the key spells, without making the string. */
  static int hash(byte[] key) {
    int h = 0;
    for (byte b : key) {
      if (b < 0) {
        return path(key).hashCode();
      }
      h = 31 * h + b;
    }
    return h;
  }

  /** {@code path.length()}: characters, not bytes (ZooKeeper's approximate data size). */
  static int length(byte[] key) {
    int n = 0;
    for (byte b : key) {
      if ((b & 0xC0) != 0x80) {
        n++;
      }
    }
    return n;
  }

  /** Sign of key minus path, in the order of the strings. */
  static int compare(byte[] key, String path) {
    int n = Math.min(key.length, path.length());
    for (int i = 0; i < n; i++) {
      int b = key[i];
      char c = path.charAt(i);
      if (b < 0 || c >= 0x80) {
        return path(key).compareTo(path);
      }
      if (b != c) {
        return b - c;
      }
    }
    // Every character so far was ASCII and equal: the longer one is the greater.
    return Integer.compare(key.length, path.length());
  }

  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
