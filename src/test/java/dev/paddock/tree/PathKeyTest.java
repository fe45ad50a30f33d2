package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Paths as UTF-8 keys keep the order, hash and length of the strings they spell. */
class PathKeyTest {
  private static final String[] PARTS = {"a", "b", "ab", "z", "é", "ü", "中", "\uf8ff",
      "\ufffd", "~", "0", "/"};

  private static String randomPath(Random r) {
    StringBuilder b = new StringBuilder("/");
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      String part = PARTS[r.nextInt(PARTS.length)];
      if (!(part.equals("/") && b.charAt(b.length() - 1) == '/')) {
        b.append(part);
      }
    }
    return b.toString();
  }

  @Test
  void comparingAKeyWithAPathAgreesWithComparingTheStrings() {
    Random r = new Random(7);
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      paths.add(randomPath(r));
    }
    for (String a : paths) {
      byte[] key = PathKey.of(a);
      assertEquals(a.hashCode(), PathKey.hash(key), a);
      assertEquals(a.length(), PathKey.length(key), a);
      assertEquals(a, PathKey.path(key));
      assertEquals(Paths.name(a), PathKey.name(key), a);
      assertEquals(Paths.name(a).getBytes(StandardCharsets.UTF_8).length,
          PathKey.nameLength(key), a);
      for (String b : paths) {
        int strings = Integer.signum(a.compareTo(b));
        assertEquals(strings, Integer.signum(PathKey.compare(key, b)), a + " vs " + b);
        assertEquals(strings, Integer.signum(PathKey.compare(key, PathKey.of(b))),
            a + " vs " + b);
        assertEquals(a.equals(b), PathKey.compare(key, b) == 0);
      }
    }
  }

  @Test
  void aProbeWithASurrogateMatchesNoKeyAndNoKeyIsMadeOfIt() {
    String lone = "/a\ud800";
    byte[] question = PathKey.of("/a?");
    assertTrue(PathKey.compare(question, lone) != 0);
    assertThrows(IllegalArgumentException.class, () -> PathKey.of(lone));
    assertThrows(IllegalArgumentException.class, () -> PathKey.of("/a\ud83d\ude00"));
  }

  @Test
  void keysReadFromStorageMustBeTheUtf8OfTheirPath() {
    byte[] ok = PathKey.of("/é/中");
    assertArrayEquals(ok, PathKey.canonical(ok.clone()));
    byte[] ascii = PathKey.of("/plain");
    assertEquals(ascii, PathKey.canonical(ascii));
    assertThrows(IllegalArgumentException.class,
        () -> PathKey.canonical(new byte[] {'/', (byte) 0xC3}));
    // An overlong encoding of '/' decodes to U+FFFD, which encodes differently.
    assertThrows(IllegalArgumentException.class,
        () -> PathKey.canonical(new byte[] {'/', (byte) 0xC0, (byte) 0xAF}));
  }
}
