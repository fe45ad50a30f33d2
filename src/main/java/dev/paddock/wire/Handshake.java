package dev.paddock.wire;

import java.io.IOException;
import org.apache.jute.BinaryInputArchive;

/**
 * A client's ConnectRequest. Clients up to ZooKeeper 3.3 end it after the password; newer ones
 * add a readOnly flag, and the response must match whichever form arrived.
 */
record Handshake(int protocolVersion, long lastZxidSeen, int timeoutMs, long sessionId,
    byte[] password, boolean hasReadOnly, boolean readOnly) {

  static Handshake parse(byte[] payload) throws IOException {
    BinaryInputArchive in = Requests.archive(payload);
    int version = in.readInt("protocolVersion");
    long lastZxid = in.readLong("lastZxidSeen");
    int timeout = in.readInt("timeOut");
    long sessionId = in.readLong("sessionId");
    byte[] passwd = in.readBuffer("passwd");
    int used = 4 + 8 + 4 + 8 + 4 + (passwd == null ? 0 : passwd.length);
    boolean hasReadOnly = payload.length > used;
    boolean readOnly = hasReadOnly && in.readBool("readOnly");
    return new Handshake(version, lastZxid, timeout, sessionId, passwd, hasReadOnly, readOnly);
  }
}
