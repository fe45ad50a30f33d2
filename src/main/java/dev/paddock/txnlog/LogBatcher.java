package dev.paddock.txnlog;

import dev.paddock.txn.TxnSize;
import dev.paddock.txn.TxnEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Group commit in front of the {@link TxnLog} (ZooKeeper's SyncRequestProcessor): at most one
 * append is in flight; whatever arrives meanwhile becomes the next batch, so the batch size grows
 * with the load and every batch costs one fsync. Control commands (epochs, truncation) keep their
 * place in the order relative to appends. A batch holds at most {@link #MAX_BATCH_BYTES} of txns
 * (or one larger txn): it is serialized, framed and written whole, each step a copy, so its size
 * is what bounds the memory a burst of large writes costs on its way to the disk.
 */
public final class LogBatcher extends AbstractBehavior<LogBatcher.Command> {

  public sealed interface Command {}

  public record Append(TxnEntry entry) implements Command {}

  public record AppendAll(List<TxnEntry> entries) implements Command {}

  /** Passed to the log after every append queued before it. */
  public record Control(TxnLog.Command command) implements Command {}

  /** Batches and txns journaled so far: txns per fsync for benchmarks. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  public record Stats(long batches, long txns) {
    public double txnsPerBatch() {
      return batches == 0 ? 0 : (double) txns / batches;
    }
  }

  /** Told to the owner when every txn up to {@code lastZxid} is durable. */
  public record Logged(long lastZxid, int count) {}

  private record BatchDone(TxnLog.Appended appended) implements Command {}

  private record ControlDone(Done done) implements Command {}

  private final ActorRef<TxnLog.Command> log;
  private final ActorRef<Logged> owner;
  private final ActorRef<TxnLog.Appended> appendedAdapter;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private List<TxnEntry> forming = new ArrayList<>();
  private long formingBytes;
  private boolean inFlight;
  private long batches;
  private long txns;

  public static Behavior<Command> create(ActorRef<TxnLog.Command> log, ActorRef<Logged> owner) {
    return Behaviors.setup(ctx -> new LogBatcher(ctx, log, owner));
  }

  private LogBatcher(ActorContext<Command> ctx, ActorRef<TxnLog.Command> log,
      ActorRef<Logged> owner) {
    super(ctx);
    this.log = log;
    this.owner = owner;
    this.appendedAdapter = ctx.messageAdapter(TxnLog.Appended.class, BatchDone::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Append.class, a -> {
          form(a.entry());
          return flush();
        })
        .onMessage(AppendAll.class, a -> {
          a.entries().forEach(this::form);
          return flush();
        })
        .onMessage(Control.class, c -> {
          sealForming();
          queue.addLast(c.command());
          return flush();
        })
        .onMessage(GetStats.class, g -> {
          g.replyTo().tell(new Stats(batches, txns));
          return this;
        })
        .onMessage(BatchDone.class, d -> {
          inFlight = false;
          owner.tell(new Logged(d.appended().lastZxid(), d.appended().count()));
          return flush();
        })
        .onMessage(ControlDone.class, d -> {
          inFlight = false;
          return flush();
        })
        .build();
  }

  /** Bytes of txns that one batch holds at most; a larger txn is a batch of its own. */
  static final long MAX_BATCH_BYTES = 4L << 20;

  private void form(TxnEntry e) {
    long size = TxnSize.of(e);
    if (!forming.isEmpty() && formingBytes + size > MAX_BATCH_BYTES) {
      sealForming();
    }
    forming.add(e);
    formingBytes += size;
  }

  private void sealForming() {
    if (!forming.isEmpty()) {
      queue.addLast(forming);
      forming = new ArrayList<>();
      formingBytes = 0;
    }
  }

  @SuppressWarnings("unchecked")
  private Behavior<Command> flush() {
    while (!inFlight) {
      if (queue.isEmpty()) {
        sealForming();
      }
      Object next = queue.pollFirst();
      if (next == null) {
        break;
      }
      inFlight = true;
      if (next instanceof List<?> batch) {
        List<TxnEntry> entries = (List<TxnEntry>) batch;
        batches++;
        txns += entries.size();
        log.tell(new TxnLog.Append(entries, appendedAdapter));
      } else {
        log.tell(withReply((TxnLog.Command) next));
      }
    }
    return this;
  }

  /** Control commands reply to whoever asked; the batcher also needs to know, to send the next. */
  private TxnLog.Command withReply(TxnLog.Command c) {
    ActorRef<Done> done = getContext().messageAdapter(Done.class, ControlDone::new);
    if (c instanceof TxnLog.AcceptEpoch a) {
      return new TxnLog.AcceptEpoch(a.epoch(), relay(done, a.replyTo()));
    } else if (c instanceof TxnLog.SetCurrentEpoch e) {
      return new TxnLog.SetCurrentEpoch(e.epoch(), relay(done, e.replyTo()));
    } else if (c instanceof TxnLog.Truncate t) {
      return new TxnLog.Truncate(t.zxid(), relay(done, t.replyTo()));
    } else if (c instanceof TxnLog.Restore r) {
      return new TxnLog.Restore(r.zxid(), relay(done, r.replyTo()));
    }
    // Commands without a reply do not hold up the queue.
    inFlight = false;
    return c;
  }

  private ActorRef<Done> relay(ActorRef<Done> self, ActorRef<Done> requester) {
    return getContext().spawnAnonymous(Behaviors.receive(Done.class)
        .onAnyMessage(d -> {
          requester.tell(d);
          self.tell(d);
          return Behaviors.stopped();
        })
        .build());
  }
}
