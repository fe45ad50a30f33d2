package dev.paddock.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/** A bare socket speaking (or deliberately mis-speaking) the ZooKeeper protocol. */
final class RawClient implements AutoCloseable {
  final Socket socket;
  final DataInputStream in;
  final DataOutputStream out;
  ConnectResponse session;

  /** One reply packet: its header and the bytes after it. */
  record Packet(ReplyHeader header, byte[] body) {
    <T extends Record> T read(T record) throws IOException {
      record.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(body)), "r");
      return record;
    }
  }

  RawClient(int port) throws IOException {
    this(port, 0);
  }

  private RawClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      // Set before connecting: the window scale is fixed by the handshake.
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  static RawClient connected(int port) throws IOException {
    return connected(port, 30_000);
  }

  static RawClient connected(int port, int sessionTimeoutMs) throws IOException {
    return connected(port, sessionTimeoutMs, 0);
  }

  /** @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's */
  static RawClient connected(int port, int sessionTimeoutMs, int receiveBuffer)
      throws IOException {
    RawClient c = new RawClient(port, receiveBuffer);
    c.handshake(new ConnectRequest(0, 0, sessionTimeoutMs, 0, new byte[16], false));
    return c;
  }

  ConnectResponse handshake(ConnectRequest req) throws IOException {
    sendFrame(bytes(a -> req.serialize(a, "connect")));
    byte[] frame = readFrame();
    ConnectResponse r = new ConnectResponse();
    r.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(frame)), "connect");
    session = r;
    return r;
  }

  void send(int xid, int type, Record body) throws IOException {
    sendFrame(bytes(a -> {
      new RequestHeader(xid, type).serialize(a, "header");
      if (body != null) {
        body.serialize(a, "request");
      }
    }));
  }

  /** Sends a request and returns the first reply that is not a watch notification. */
  Packet call(int xid, int type, Record body) throws IOException {
    send(xid, type, body);
    while (true) {
      Packet p = readPacket();
      if (p.header().getXid() != -1) {
        return p;
      }
    }
  }

  void sendFrame(byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  byte[] readFrame() throws IOException {
    int len = in.readInt();
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  Packet readPacket() throws IOException {
    byte[] frame = readFrame();
    DataInputStream d = new DataInputStream(new ByteArrayInputStream(frame));
    ReplyHeader h = new ReplyHeader();
    h.deserialize(BinaryInputArchive.getArchive(d), "header");
    return new Packet(h, d.readAllBytes());
  }

  /** Everything until the server closes the connection, as text. */
  String readAllText() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** True when the server closes the connection (after any bytes it still sends). */
  boolean closedByServer() throws IOException {
    try {
      byte[] drain = new byte[64 * 1024];
      while (in.read(drain) >= 0) {
        // what was sent before the close
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (EOFException | SocketException e) {
      return true;
    }
  }

  interface Body {
    void write(BinaryOutputArchive a) throws IOException;
  }

  static byte[] bytes(Body body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    body.write(BinaryOutputArchive.getArchive(b));
    return b.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
