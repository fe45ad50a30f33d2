package dev.paddock.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import org.slf4j.LoggerFactory;

/**
 * The secret session passwords derive from: the configured one, or a random one created once and
 * kept in the data dir so that sessions survive a restart of a standalone server. Whoever knows
 * the secret can compute the password of any session id and take the session over.
 */
final class SessionSecret {
  /** The value the repository's application.conf ships with, known to everyone who read it. */
  static final String SAMPLE = "local-ensemble-secret-change-me";

  private SessionSecret() {}

  /**
   * An ensemble never runs on an empty secret: each server would make up its own, so a session
   * could not move to another server. Nor may one that other hosts can reach use the published
   * sample.
   */
  static void checkEnsemble(Settings settings) {
    String weakness = weakness(settings);
    if (weakness == null) {
      return;
    }
    if (settings.sessionSecret().isEmpty()) {
      throw new ConfigError("paddock.session-secret", "is empty: every server of an ensemble "
          + "needs the same secret, or sessions cannot move between servers; set the same long "
          + "random secret on every server");
    }
    for (ServerSpec s : settings.servers()) {
      if (!loopback(s.host())) {
        throw new ConfigError("paddock.session-secret", weakness + ", and server " + s.id()
            + " (" + s.host() + ") is not a loopback address: set the same long random "
            + "secret on every server");
      }
    }
  }

  /** Why the secret is not fit for an ensemble, or null when it is (or there is no ensemble). */
  static String weakness(Settings settings) {
    if (settings.standalone()) {
      return null;
    }
    if (settings.sessionSecret().isEmpty()) {
      return "is empty";
    }
    return settings.sessionSecret().equals(SAMPLE) ? "is the sample value from application.conf"
        : null;
  }

  static boolean loopback(String host) {
    return PeerTls.isLoopback(host);
  }

  static byte[] resolve(Settings settings) {
    String weakness = weakness(settings);
    if (weakness != null) {
      LoggerFactory.getLogger(SessionSecret.class).warn("paddock.session-secret {}: allowed "
          + "only because every server of this ensemble is on loopback", weakness);
    }
    if (!settings.sessionSecret().isEmpty()) {
      return settings.sessionSecret().getBytes(StandardCharsets.UTF_8);
    }
    Path file = settings.dataDir().resolve("session-secret");
    try {
      if (Files.exists(file)) {
        return HexFormat.of().parseHex(Files.readString(file).trim());
      }
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Files.createDirectories(settings.dataDir());
      Path tmp = settings.dataDir().resolve("session-secret.tmp");
      Files.deleteIfExists(tmp);
      write(tmp, HexFormat.of().formatHex(secret));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return secret;
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }

  /** Creates the file readable by its owner only from the start: no window with wider rights. */
  static void write(Path file, String text) throws IOException {
    FileAttribute<?>[] ownerOnly = file.getFileSystem().supportedFileAttributeViews()
        .contains("posix")
        ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    try (SeekableByteChannel out = Files.newByteChannel(file,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }
  }
}
