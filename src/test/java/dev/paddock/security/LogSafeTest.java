package dev.paddock.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void plainTextIsKept() {
    assertEquals("/app/config-0000000001", LogSafe.text("/app/config-0000000001"));
    assertEquals("/ünïcødé/路径", LogSafe.text("/ünïcødé/路径"));
    assertEquals("null", LogSafe.text(null));
  }

  @Test
  void controlAndFormatCharactersBecomeQuestionMarks() {
    assertEquals("a?b?c?d?e", LogSafe.text("a\nb\rc\u001bd\te"));
    assertEquals("x?y", LogSafe.text("x\u0000y"));
    assertEquals("evil?txt.exe", LogSafe.text("evil\u202etxt.exe"), "bidi override");
    assertEquals("a?b?c", LogSafe.text("a\u2028b\u0085c"), "line separators");
    assertEquals("lone?", LogSafe.text("lone\ud800"), "unpaired surrogate");
  }

  @Test
  void longTextIsCut() {
    String s = LogSafe.text("/" + "a".repeat(10_000));
    assertTrue(s.startsWith("/aaa"), s);
    assertTrue(s.endsWith("...(" + (10_001 - LogSafe.MAX_CHARS) + " more chars)"), s);
    assertEquals(LogSafe.MAX_CHARS + " more chars)".length() + 4
        + String.valueOf(10_001 - LogSafe.MAX_CHARS).length(), s.length());
  }

  @Test
  void aCutNeverSplitsACharacter() {
    String s = LogSafe.text("a" + "😀".repeat(300));
    assertTrue(s.startsWith("a😀"), s);
    assertTrue(Character.isHighSurrogate(s.charAt(s.indexOf("...") - 2)), s);
  }
}
