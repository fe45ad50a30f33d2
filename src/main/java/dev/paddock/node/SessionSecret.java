package dev.paddock.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret session passwords derive from: the configured one, or a random one created once and
 * kept in the data dir so that sessions survive a restart of a standalone server.
 */
final class SessionSecret {
  private SessionSecret() {}

  static byte[] resolve(Settings settings) {
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
      Files.writeString(tmp, HexFormat.of().formatHex(secret));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return secret;
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }
}
