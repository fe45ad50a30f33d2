package dev.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.PersistentRepr$;
import org.apache.pekko.testkit.javadsl.TestKit;
import scala.jdk.javaapi.CollectionConverters;

/** Talks to a journal plugin through its message protocol, as a persistent actor would. */
final class JournalDriver {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  final ActorSystem system;
  final ActorRef journal;
  final String writerUuid;

  JournalDriver(ActorSystem system, String writerUuid) {
    this.system = system;
    this.journal = Persistence.get(system).journalFor(StorageTestSupport.JOURNAL, ConfigFactory.empty());
    this.writerUuid = writerUuid;
  }

  PersistentRepr event(String pid, long seqNr, Object payload) {
    return PersistentRepr$.MODULE$.apply(payload, seqNr, pid, "", false, null, writerUuid);
  }

  static AtomicWrite atomic(PersistentRepr... events) {
    return new AtomicWrite(CollectionConverters.asScala(List.of(events)).toList());
  }

  /** Sends one WriteMessages without waiting; the returned probe receives the replies. */
  TestKit send(AtomicWrite... writes) {
    TestKit probe = new TestKit(system);
    List<PersistentEnvelope> envelopes = List.of(writes);
    journal.tell(
        new JournalProtocol.WriteMessages(
            CollectionConverters.asScala(envelopes).toList(), probe.getRef(), 1),
        ActorRef.noSender());
    return probe;
  }

  static void expectWritten(TestKit probe, int events) {
    probe.expectMsgEquals(TIMEOUT, JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    for (int i = 0; i < events; i++) {
      probe.expectMsgClass(TIMEOUT, JournalProtocol.WriteMessageSuccess.class);
    }
  }

  void write(AtomicWrite... writes) {
    int events = 0;
    for (AtomicWrite w : writes) {
      events += w.size();
    }
    expectWritten(send(writes), events);
  }

  /** Writes each seqNr in [from, to] as its own AtomicWrite with payload "pid-seqNr". */
  void writeRange(String pid, long from, long to) {
    List<AtomicWrite> writes = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      writes.add(atomic(event(pid, s, pid + "-" + s)));
    }
    write(writes.toArray(new AtomicWrite[0]));
  }

  record Replay(List<PersistentRepr> events, long highest) {
    List<Long> seqNrs() {
      return events.stream().map(PersistentRepr::sequenceNr).toList();
    }
  }

  Replay replay(String pid) {
    return replay(pid, 1, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  Replay replay(String pid, long from, long to, long max) {
    TestKit probe = new TestKit(system);
    journal.tell(
        new JournalProtocol.ReplayMessages(from, to, max, pid, probe.getRef()),
        ActorRef.noSender());
    List<PersistentRepr> events = new ArrayList<>();
    while (true) {
      Object msg = probe.expectMsgClass(TIMEOUT, Object.class);
      if (msg instanceof JournalProtocol.ReplayedMessage r) {
        events.add(r.persistent());
      } else if (msg instanceof JournalProtocol.RecoverySuccess s) {
        return new Replay(events, s.highestSequenceNr());
      } else {
        return fail("replay of " + pid + " failed: " + msg);
      }
    }
  }

  void deleteTo(String pid, long toSeqNr) {
    TestKit probe = new TestKit(system);
    journal.tell(new JournalProtocol.DeleteMessagesTo(pid, toSeqNr, probe.getRef()),
        ActorRef.noSender());
    DeleteMessagesSuccess ok = probe.expectMsgClass(TIMEOUT, DeleteMessagesSuccess.class);
    assertEquals(toSeqNr, ok.toSequenceNr());
  }

  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }
}
