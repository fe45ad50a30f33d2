package dev.paddock.codec;

import dev.paddock.election.Notification;
import dev.paddock.election.ServerState;
import dev.paddock.election.Vote;
import dev.paddock.peers.PeerMessage;
import dev.paddock.peers.Peers;
import dev.paddock.request.Op;
import dev.paddock.request.WriteRequest;
import dev.paddock.txn.BytesIn;
import dev.paddock.txn.BytesOut;
import dev.paddock.txn.TxnCodec;
import dev.paddock.txn.TxnEntry;
import dev.paddock.zab.Packet;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Binary form of everything that crosses between servers: the gateway envelope with an election
 * notification or a Zab packet inside. Txns use the same codec as the journal; nothing goes
 * through Java serialization.
 */
public final class PeerSerializer extends SerializerWithStringManifest {
  public static final int ID = 7_430_003;
  private static final String ENVELOPE = "E";

  private static final byte NOTIFICATION = 1;
  private static final byte FOLLOWER_INFO = 10;
  private static final byte ACK_EPOCH = 11;
  private static final byte ACK_NEWLEADER = 12;
  private static final byte ACK = 13;
  private static final byte FORWARD_WRITE = 14;
  private static final byte FORWARD_SYNC = 15;
  private static final byte LEARNER_PING = 16;
  private static final byte REVALIDATE = 17;
  private static final byte SNAP_ACK = 18;
  private static final byte LEADER_INFO = 20;
  private static final byte SYNC_START = 21;
  private static final byte SNAP_CHUNK = 22;
  private static final byte PROPOSALS = 23;
  private static final byte COMMIT = 24;
  private static final byte INFORM = 25;
  private static final byte NEW_LEADER = 26;
  private static final byte UP_TO_DATE = 27;
  private static final byte SYNC_DONE = 28;
  private static final byte LEADER_PING = 29;
  private static final byte GOODBYE = 30;
  private static final byte REVALIDATED = 31;

  private final LazyRefResolver refs;
  /**
   * The sender's gateway, as the last envelope written named it and the last one read did. A
   * server's envelopes all name one gateway, so each side renders or resolves it once instead
   * of per message.
   */
  private volatile Known written = new Known(null, null);
  private volatile Known read = new Known(null, null);

  private record Known(Object key, Object value) {}

  public PeerSerializer(ExtendedActorSystem system) {
    this.refs = new LazyRefResolver(system);
  }


  @Override
  public int identifier() {
    return ID;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof Peers.Envelope) {
      return ENVELOPE;
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    Peers.Envelope e = (Peers.Envelope) o;
    BytesOut out = new BytesOut(128);
    try {
      out.writeInt(e.from());
      out.writeLong(e.incarnation());
      out.writeLong(e.seq());
      out.writeUTF(render(e.sender()));
      writeMessage(out, e.message());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    if (!ENVELOPE.equals(manifest)) {
      throw new NotSerializableException("unknown manifest " + manifest);
    }
    try {
      BytesIn in = new BytesIn(bytes);
      int from = in.readInt();
      long incarnation = in.readLong();
      long seq = in.readLong();
      ActorRef<Peers.Command> sender = resolve(in.readUTF());
      return new Peers.Envelope(from, incarnation, seq, sender, readMessage(in));
    } catch (IOException ex) {
      NotSerializableException n = new NotSerializableException("corrupt peer message: "
          + ex.getMessage());
      n.initCause(ex);
      throw n;
    }
  }

  private String render(ActorRef<Peers.Command> sender) {
    Known k = written;
    if (sender.equals(k.key())) {
      return (String) k.value();
    }
    String s = refs.get().toSerializationFormat(sender);
    written = new Known(sender, s);
    return s;
  }

  @SuppressWarnings("unchecked")
  private ActorRef<Peers.Command> resolve(String sender) {
    Known k = read;
    if (sender.equals(k.key())) {
      return (ActorRef<Peers.Command>) k.value();
    }
    ActorRef<Peers.Command> ref = refs.get().resolveActorRef(sender);
    read = new Known(sender, ref);
    return ref;
  }

  static void writeMessage(DataOutput out, PeerMessage m) throws IOException {
    if (m instanceof Notification n) {
      out.writeByte(NOTIFICATION);
      out.writeInt(n.vote().leaderId());
      out.writeLong(n.vote().zxid());
      out.writeLong(n.vote().peerEpoch());
      out.writeLong(n.electionEpoch());
      out.writeByte(n.state().ordinal());
      return;
    }
    Packet p = (Packet) m;
    if (p instanceof Packet.FollowerInfo f) {
      head(out, FOLLOWER_INFO, p);
      out.writeLong(f.acceptedEpoch());
      out.writeLong(f.lastZxid());
      out.writeBoolean(f.observer());
    } else if (p instanceof Packet.AckEpoch a) {
      head(out, ACK_EPOCH, p);
      out.writeLong(a.currentEpoch());
      out.writeLong(a.lastZxid());
    } else if (p instanceof Packet.AckNewLeader a) {
      head(out, ACK_NEWLEADER, p);
      out.writeLong(a.zxid());
    } else if (p instanceof Packet.Ack a) {
      head(out, ACK, p);
      out.writeLong(a.zxid());
    } else if (p instanceof Packet.ForwardWrite w) {
      head(out, FORWARD_WRITE, p);
      out.writeLong(w.seq());
      out.writeLong(w.request().sessionId());
      out.writeInt(w.request().cxid());
      OpCodec.writeOp(out, w.request().op());
      OpCodec.writeIds(out, w.request().authIds());
    } else if (p instanceof Packet.ForwardSync s) {
      head(out, FORWARD_SYNC, p);
      out.writeLong(s.seq());
      out.writeLong(s.sessionId());
      out.writeInt(s.cxid());
    } else if (p instanceof Packet.LearnerPing ping) {
      head(out, LEARNER_PING, p);
      out.writeInt(ping.touchedSessions().size());
      for (long id : ping.touchedSessions()) {
        out.writeLong(id);
      }
      out.writeLong(ping.echo());
    } else if (p instanceof Packet.SnapAck a) {
      head(out, SNAP_ACK, p);
      out.writeInt(a.index());
    } else if (p instanceof Packet.Revalidate r) {
      head(out, REVALIDATE, p);
      out.writeLong(r.sessionId());
      out.writeLong(r.token());
    } else if (p instanceof Packet.Revalidated r) {
      head(out, REVALIDATED, p);
      out.writeLong(r.sessionId());
      out.writeLong(r.token());
      out.writeBoolean(r.valid());
    } else if (p instanceof Packet.LeaderInfo i) {
      head(out, LEADER_INFO, p);
      out.writeLong(i.newEpoch());
    } else if (p instanceof Packet.SyncStart s) {
      head(out, SYNC_START, p);
      out.writeByte(s.mode().ordinal());
      out.writeLong(s.zxid());
    } else if (p instanceof Packet.SnapChunk c) {
      head(out, SNAP_CHUNK, p);
      out.writeInt(c.index());
      TxnCodec.writeBytes(out, c.bytes());
      out.writeBoolean(c.last());
    } else if (p instanceof Packet.Proposals props) {
      head(out, PROPOSALS, p);
      writeEntries(out, props.entries());
    } else if (p instanceof Packet.Commit c) {
      head(out, COMMIT, p);
      out.writeLong(c.zxid());
    } else if (p instanceof Packet.Inform i) {
      head(out, INFORM, p);
      writeEntries(out, i.entries());
    } else if (p instanceof Packet.NewLeader n) {
      head(out, NEW_LEADER, p);
      out.writeLong(n.epoch());
      out.writeLong(n.lastZxid());
    } else if (p instanceof Packet.UpToDate u) {
      head(out, UP_TO_DATE, p);
      out.writeLong(u.committedZxid());
    } else if (p instanceof Packet.SyncDone s) {
      head(out, SYNC_DONE, p);
      out.writeLong(s.sessionId());
      out.writeInt(s.cxid());
    } else if (p instanceof Packet.LeaderPing ping) {
      head(out, LEADER_PING, p);
      out.writeLong(ping.round());
    } else if (p instanceof Packet.Goodbye g) {
      head(out, GOODBYE, p);
      TxnCodec.writeString(out, g.reason());
    } else {
      throw new IllegalArgumentException("cannot serialize " + m.getClass());
    }
  }

  private static void head(DataOutput out, byte tag, Packet p) throws IOException {
    out.writeByte(tag);
    out.writeLong(p.connection());
  }

  static PeerMessage readMessage(DataInput in) throws IOException {
    byte tag = in.readByte();
    if (tag == NOTIFICATION) {
      Vote v = new Vote(in.readInt(), in.readLong(), in.readLong());
      long epoch = in.readLong();
      int state = in.readByte();
      if (state < 0 || state >= ServerState.values().length) {
        throw new IOException("bad server state " + state);
      }
      return new Notification(v, epoch, ServerState.values()[state]);
    }
    long c = in.readLong();
    return switch (tag) {
      case FOLLOWER_INFO -> new Packet.FollowerInfo(c, in.readLong(), in.readLong(),
          in.readBoolean());
      case ACK_EPOCH -> new Packet.AckEpoch(c, in.readLong(), in.readLong());
      case ACK_NEWLEADER -> new Packet.AckNewLeader(c, in.readLong());
      case ACK -> new Packet.Ack(c, in.readLong());
      case FORWARD_WRITE -> {
        long seq = in.readLong();
        long session = in.readLong();
        int cxid = in.readInt();
        Op op = OpCodec.readOp(in);
        if (!(op instanceof Op.Write w)) {
          throw new IOException("forwarded op is not a write: " + op);
        }
        yield new Packet.ForwardWrite(c, seq, new WriteRequest(session, cxid, w,
            OpCodec.readIds(in)));
      }
      case FORWARD_SYNC -> new Packet.ForwardSync(c, in.readLong(), in.readLong(), in.readInt());
      case LEARNER_PING -> {
        int n = TxnCodec.readCount(in);
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ids.add(in.readLong());
        }
        yield new Packet.LearnerPing(c, ids, in.readLong());
      }
      case REVALIDATE -> new Packet.Revalidate(c, in.readLong(), in.readLong());
      case SNAP_ACK -> new Packet.SnapAck(c, in.readInt());
      case REVALIDATED -> new Packet.Revalidated(c, in.readLong(), in.readLong(),
          in.readBoolean());
      case LEADER_INFO -> new Packet.LeaderInfo(c, in.readLong());
      case SYNC_START -> {
        int mode = in.readByte();
        if (mode < 0 || mode >= Packet.SyncMode.values().length) {
          throw new IOException("bad sync mode " + mode);
        }
        yield new Packet.SyncStart(c, Packet.SyncMode.values()[mode], in.readLong());
      }
      case SNAP_CHUNK -> new Packet.SnapChunk(c, in.readInt(), TxnCodec.readBytes(in),
          in.readBoolean());
      case PROPOSALS -> new Packet.Proposals(c, readEntries(in));
      case COMMIT -> new Packet.Commit(c, in.readLong());
      case INFORM -> new Packet.Inform(c, readEntries(in));
      case NEW_LEADER -> new Packet.NewLeader(c, in.readLong(), in.readLong());
      case UP_TO_DATE -> new Packet.UpToDate(c, in.readLong());
      case SYNC_DONE -> new Packet.SyncDone(c, in.readLong(), in.readInt());
      case LEADER_PING -> new Packet.LeaderPing(c, in.readLong());
      case GOODBYE -> new Packet.Goodbye(c, TxnCodec.readString(in));
      default -> throw new IOException("unknown peer message tag " + tag);
    };
  }

  private static void writeEntries(DataOutput out, List<TxnEntry> entries) throws IOException {
    out.writeInt(entries.size());
    for (TxnEntry e : entries) {
      TxnCodec.writeEntry(out, e);
    }
  }

  private static List<TxnEntry> readEntries(DataInput in) throws IOException {
    int n = TxnCodec.readCount(in);
    List<TxnEntry> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(TxnCodec.readEntry(in));
    }
    return out;
  }
}
