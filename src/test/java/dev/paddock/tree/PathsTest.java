package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.zookeeper.common.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ZooKeeper's znode path rules (PathUtils.validatePath) and the path helpers. */
class PathsTest {

  /** ZooKeeper's verdict: null when valid, else the message of its exception. */
  private static String zk(String path) {
    try {
      PathUtils.validatePath(path);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String zk(String path, boolean sequential) {
    try {
      PathUtils.validatePath(path, sequential);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static void assertSameVerdict(String path) {
    String ours = Paths.invalidReason(path);
    String theirs = zk(path);
    if (theirs == null) {
      assertNull(ours, () -> "valid in ZooKeeper: " + escape(path));
    } else {
      assertTrue(ours != null && theirs.endsWith(ours),
          () -> escape(path) + ": ZooKeeper says " + theirs + ", we say " + ours);
    }
  }

  private static String escape(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return b.append('"').toString();
  }

  @Test
  void nullAndEmptyPathsAreInvalid() {
    assertEquals("Path cannot be null", Paths.invalidReason(null));
    assertEquals("Path length must be > 0", Paths.invalidReason(""));
    assertFalse(Paths.isValid(null));
  }

  @Test
  void pathMustStartWithSlashAndNotEndWithOne() {
    assertEquals("Path must start with / character", Paths.invalidReason("a"));
    assertEquals("Path must start with / character", Paths.invalidReason("a/b"));
    assertEquals("Path must not end with / character", Paths.invalidReason("/a/"));
    assertEquals("Path must not end with / character", Paths.invalidReason("//"));
  }

  @ParameterizedTest
  @CsvSource({
      "'/a//b', 'empty node name specified @3'",
      "'//a', 'empty node name specified @1'",
      "'/.', 'relative paths not allowed @1'",
      "'/..', 'relative paths not allowed @2'",
      "'/a/./b', 'relative paths not allowed @3'",
      "'/a/../b', 'relative paths not allowed @4'",
      "'/a/.', 'relative paths not allowed @3'",
      "'/a/..', 'relative paths not allowed @4'"})
  void emptyNamesAndRelativeSegmentsAreInvalid(String path, String reason) {
    assertEquals(reason, Paths.invalidReason(path));
    assertSameVerdict(path);
  }

  @ParameterizedTest
  @ValueSource(chars = {'\u0001', '\u001f', '\u007f', '\u0080', '\u009f', '\ud800', '\udfff',
      '\ue000', '\uf8ff', '\ufff0', '\uffff'})
  void controlSurrogateAndPrivateUseCharactersAreInvalid(char c) {
    String path = "/a" + c;
    assertEquals("invalid character @2", Paths.invalidReason(path));
    assertSameVerdict(path);
  }

  @Test
  void nulCharacterIsInvalid() {
    assertEquals("null character not allowed @2", Paths.invalidReason("/a\u0000"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a.b", "/...", "/.a", "/a.", "/a/..b", "/a/b..",
      "/zookeeper", "/\u00e9t\u00e9", "/\u00a0", "/\uf900", "/\ufeff", "/a b", "/a/b/c/d"})
  void ordinaryNamesAreValid(String path) {
    assertNull(Paths.invalidReason(path));
    assertTrue(Paths.isValid(path));
    assertSameVerdict(path);
  }

  @Test
  void sequentialPathsAreValidatedWithTheirDigitSuffix() {
    assertNull(Paths.invalidReason("/a/", true));
    assertNull(Paths.invalidReason("/a/.", true));
    assertEquals("Path must not end with / character", Paths.invalidReason("/a/", false));
    assertEquals("empty node name specified @1", Paths.invalidReason("//", true));
  }

  @Test
  void agreesWithZooKeeperOnRandomPaths() {
    char[] alphabet = {'/', '/', '/', '.', '.', 'a', 'b', '\u0000', '\u0001', '\u001f', ' ',
        '\u007f', '\u0080', '\u009f', '\u00a0', '\ud800', '\uf8ff', '\uf900', '\ufff0', '\uffff'};
    Random rnd = new Random(7);
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(9);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet[rnd.nextInt(alphabet.length)]);
      }
      if (rnd.nextBoolean() && (sb.length() == 0 || sb.charAt(0) != '/')) {
        sb.insert(0, '/');
      }
      String path = sb.toString();
      assertSameVerdict(path);
      boolean seq = rnd.nextBoolean();
      assertEquals(zk(path, seq) == null, Paths.invalidReason(path, seq) == null,
          () -> escape(path) + " sequential=" + seq);
    }
  }

  @ParameterizedTest
  @CsvSource({"'/a', '/', 'a'", "'/a/b', '/a', 'b'", "'/a/b/c', '/a/b', 'c'",
      "'/a/s-0000000001', '/a', 's-0000000001'"})
  void parentNameAndChildAreInverse(String path, String parent, String name) {
    assertEquals(parent, Paths.parent(path));
    assertEquals(name, Paths.name(path));
    assertEquals(path, Paths.child(parent, name));
  }

  @Test
  void isUnderMatchesWholeSegmentsOnly() {
    assertTrue(Paths.isUnder("/a", "/a"));
    assertTrue(Paths.isUnder("/a/b", "/a"));
    assertTrue(Paths.isUnder("/a/b/c", "/a"));
    assertTrue(Paths.isUnder("/anything", "/"));
    assertTrue(Paths.isUnder("/", "/"));
    assertFalse(Paths.isUnder("/ab", "/a"));
    assertFalse(Paths.isUnder("/a", "/a/b"));
    assertFalse(Paths.isUnder("/b/a", "/a"));
  }
}
