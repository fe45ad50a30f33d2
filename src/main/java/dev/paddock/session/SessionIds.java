package dev.paddock.session;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session ids and passwords. Ids carry the creating server in the top byte and a counter seeded
 * from the clock below, so ids never collide across servers or restarts. Passwords are an HMAC of
 * the id under a secret every server shares, so any server can check a moving client without
 * asking anyone.
 */
public final class SessionIds {
  public static final int PASSWORD_LENGTH = 16;

  private final byte[] secret;
  private long next;

  public SessionIds(int serverId, byte[] secret, long nowMs) {
    this.secret = secret.clone();
    this.next = ((nowMs << 24) >>> 8) | ((long) serverId << 56);
  }

  public long nextId() {
    return ++next;
  }

  public byte[] passwordFor(long sessionId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] full = mac.doFinal(ByteBuffer.allocate(8).putLong(sessionId).array());
      return Arrays.copyOf(full, PASSWORD_LENGTH);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }

  public boolean passwordMatches(long sessionId, byte[] password) {
    return password != null && MessageDigest.isEqual(passwordFor(sessionId), password);
  }
}
