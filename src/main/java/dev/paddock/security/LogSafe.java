package dev.paddock.security;

/**
 * Text a client supplied (paths, auth schemes, user names, reasons that quote its bytes), made
 * fit for a log line: a line break would let a client forge log lines, terminal escapes and
 * bidirectional overrides would disguise what an operator reads, and a megabyte-long path would
 * flood the log. Such characters become '?', and text past {@link #MAX_CHARS} is cut.
 */
public final class LogSafe {
  public static final int MAX_CHARS = 256;

  private LogSafe() {}

  public static String text(Object value) {
    if (value == null) {
      return "null";
    }
    String s = value.toString();
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 16);
    int i = 0;
    while (i < s.length() && out.length() < MAX_CHARS) {
      int cp = s.codePointAt(i);
      out.appendCodePoint(unsafe(cp) ? '?' : cp);
      i += Character.charCount(cp);
    }
    if (i < s.length()) {
      out.append("...(").append(s.length() - i).append(" more chars)");
    }
    return out.toString();
  }

  private static boolean unsafe(int cp) {
    if (Character.isISOControl(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
  }
}
