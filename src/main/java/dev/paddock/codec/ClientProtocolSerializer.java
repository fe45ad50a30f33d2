package dev.paddock.codec;

import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.txn.BytesIn;
import dev.paddock.txn.BytesOut;
import dev.paddock.txn.TxnCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Binary form of the messages between a typed client and a server's session front door: the
 * connect request, the session commands a client may send, and everything a session answers.
 * Server-internal session commands (Supersede, Committed, ...) are deliberately not handled so a
 * binding mistake cannot leak them onto the network.
 */
public final class ClientProtocolSerializer extends SerializerWithStringManifest {
  public static final int ID = 7_430_002;

  private static final String CONNECT = "C";
  private static final String SUBMIT = "S";
  private static final String PING = "P";
  private static final String ADD_AUTH = "A";
  private static final String CONNECTED = "OC";
  private static final String REPLY = "OR";
  private static final String EVENT = "OE";
  private static final String PONG = "OP";
  private static final String AUTH_REPLY = "OA";
  private static final String CLOSED = "OX";

  private final LazyRefResolver refs;

  public ClientProtocolSerializer(ExtendedActorSystem system) {
    this.refs = new LazyRefResolver(system);
  }

  @Override
  public int identifier() {
    return ID;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof SessionTrackerActor.Connect) {
      return CONNECT;
    } else if (o instanceof SessionActor.Submit) {
      return SUBMIT;
    } else if (o instanceof SessionActor.Ping) {
      return PING;
    } else if (o instanceof SessionActor.AddAuth) {
      return ADD_AUTH;
    } else if (o instanceof SessionOutput.Connected) {
      return CONNECTED;
    } else if (o instanceof SessionOutput.Reply) {
      return REPLY;
    } else if (o instanceof SessionOutput.Event) {
      return EVENT;
    } else if (o instanceof SessionOutput.Pong) {
      return PONG;
    } else if (o instanceof SessionOutput.AuthReply) {
      return AUTH_REPLY;
    } else if (o instanceof SessionOutput.Closed) {
      return CLOSED;
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    BytesOut out = new BytesOut(64);
    try {
      write(out, o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void write(DataOutput out, Object o) throws IOException {
    if (o instanceof SessionTrackerActor.Connect c) {
      out.writeInt(c.requestedTimeoutMs());
      out.writeLong(c.sessionId());
      TxnCodec.writeBytes(out, c.password());
      out.writeLong(c.lastZxidSeen());
      // Kept on the wire for compatibility; servers ignore identities a remote client claims.
      OpCodec.writeIds(out, c.connectionIds() == null ? List.of() : c.connectionIds());
      writeRef(out, c.frontDoor());
    } else if (o instanceof SessionActor.Submit s) {
      out.writeInt(s.cxid());
      OpCodec.writeOp(out, s.op());
    } else if (o instanceof SessionActor.Ping) {
      // no fields
    } else if (o instanceof SessionActor.AddAuth a) {
      TxnCodec.writeString(out, a.scheme());
      TxnCodec.writeBytes(out, a.auth());
    } else if (o instanceof SessionOutput.Connected c) {
      out.writeLong(c.sessionId());
      TxnCodec.writeBytes(out, c.password());
      out.writeInt(c.timeoutMs());
      out.writeLong(c.lastZxid());
      writeRef(out, c.session());
    } else if (o instanceof SessionOutput.Reply r) {
      out.writeInt(r.cxid());
      out.writeLong(r.zxid());
      OpCodec.writeResult(out, r.result());
    } else if (o instanceof SessionOutput.Event e) {
      OpCodec.writeEvent(out, e.event());
    } else if (o instanceof SessionOutput.Pong p) {
      out.writeLong(p.zxid());
    } else if (o instanceof SessionOutput.AuthReply a) {
      OpCodec.writeCode(out, a.code());
    } else if (o instanceof SessionOutput.Closed c) {
      TxnCodec.writeString(out, c.reason().name());
      TxnCodec.writeString(out, c.detail());
    } else {
      throw new IllegalArgumentException("cannot serialize " + o.getClass());
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      BytesIn in = new BytesIn(bytes);
      return switch (manifest) {
        case CONNECT -> new SessionTrackerActor.Connect(in.readInt(), in.readLong(),
            TxnCodec.readBytes(in), in.readLong(), OpCodec.readIds(in), readRef(in));
        case SUBMIT -> new SessionActor.Submit(in.readInt(), OpCodec.readOp(in));
        case PING -> new SessionActor.Ping();
        case ADD_AUTH -> new SessionActor.AddAuth(TxnCodec.readString(in),
            TxnCodec.readBytes(in));
        case CONNECTED -> new SessionOutput.Connected(in.readLong(), TxnCodec.readBytes(in),
            in.readInt(), in.readLong(), readRef(in));
        case REPLY -> new SessionOutput.Reply(in.readInt(), in.readLong(),
            OpCodec.readResult(in));
        case EVENT -> new SessionOutput.Event(OpCodec.readEvent(in));
        case PONG -> new SessionOutput.Pong(in.readLong());
        case AUTH_REPLY -> new SessionOutput.AuthReply(OpCodec.readCode(in));
        case CLOSED -> new SessionOutput.Closed(readReason(in), TxnCodec.readString(in));
        default -> throw new NotSerializableException("unknown manifest " + manifest);
      };
    } catch (IOException e) {
      NotSerializableException n = new NotSerializableException(
          "corrupt client protocol message " + manifest + ": " + e.getMessage());
      n.initCause(e);
      throw n;
    }
  }

  private static SessionOutput.Reason readReason(DataInput in) throws IOException {
    String name = TxnCodec.readString(in);
    for (SessionOutput.Reason r : SessionOutput.Reason.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IOException("unknown close reason " + name);
  }

  private void writeRef(DataOutput out, ActorRef<?> ref) throws IOException {
    TxnCodec.writeString(out, refs.get().toSerializationFormat(ref));
  }

  private <T> ActorRef<T> readRef(DataInput in) throws IOException {
    String path = TxnCodec.readString(in);
    if (path == null) {
      throw new IOException("missing actor ref");
    }
    return refs.get().resolveActorRef(path);
  }

}
