package dev.paddock.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * Naming of snapshot files: {@code snapshot-<pid key>-<seqNr>-<timestamp>.snap}.
 *
 * <p>The pid key keeps ASCII letters, digits, '.', '_' and '-' and percent-encodes every other
 * UTF-8 byte, so any persistenceId maps to a portable file name. Keys longer than {@value
 * #MAX_KEY} characters are shortened to a prefix plus a SHA-256 digest to stay under file system
 * name limits; '~' marks them and cannot occur in an unshortened key. Because the remainder after
 * the key must be exactly two numbers, a key that is a prefix of another never matches its files.
 * The file itself also stores the persistenceId, which is checked on load.
 */
final class SnapshotFiles {
  static final String PREFIX = "snapshot-";
  static final String SUFFIX = ".snap";
  static final String TEMP_SUFFIX = ".tmp";
  static final int MAX_KEY = 160;

  private static final Pattern NUMBERS = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

  private SnapshotFiles() {}

  /** A snapshot file, identified by its name alone (contents are not read). */
  record Entry(Path path, long seqNr, long timestamp) {
    boolean matches(SnapshotSelectionCriteria c) {
      return seqNr <= c.maxSequenceNr()
          && timestamp <= c.maxTimestamp()
          && seqNr >= c.minSequenceNr()
          && timestamp >= c.minTimestamp();
    }
  }

  /** Newest first: higher sequence number, then later timestamp. */
  static final Comparator<Entry> NEWEST_FIRST =
      Comparator.comparingLong(Entry::seqNr).thenComparingLong(Entry::timestamp).reversed();

  static String fileName(String persistenceId, long seqNr, long timestamp) {
    return PREFIX + key(persistenceId) + "-" + seqNr + "-" + timestamp + SUFFIX;
  }

  static String key(String persistenceId) {
    StringBuilder sb = new StringBuilder();
    for (byte b : persistenceId.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (safe) {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    if (sb.length() <= MAX_KEY) {
      return sb.toString();
    }
    return sb.substring(0, MAX_KEY - 33) + "~" + sha256(persistenceId).substring(0, 32);
  }

  /** All snapshot files of {@code persistenceId}, in no particular order. */
  static List<Entry> list(Path dir, String persistenceId) throws IOException {
    String start = PREFIX + key(persistenceId) + "-";
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return entries;
    }
    // Keys contain no glob metacharacters, so the key can be used in the pattern as is.
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, start + "*" + SUFFIX)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        Matcher m = NUMBERS.matcher(name.substring(start.length(), name.length() - SUFFIX.length()));
        if (m.matches()) {
          try {
            entries.add(new Entry(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
          } catch (NumberFormatException e) {
            // Out of range for a long: not a file this store wrote.
          }
        }
      }
    }
    return entries;
  }

  /** Removes temporary files of saves interrupted by a crash; they were never acknowledged. */
  static int deleteTempFiles(Path dir) throws IOException {
    int deleted = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path p : files) {
        if (Files.deleteIfExists(p)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  private static String sha256(String s) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
