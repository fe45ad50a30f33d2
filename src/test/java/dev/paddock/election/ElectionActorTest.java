package dev.paddock.election;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.paddock.peers.Peers;
import dev.paddock.txn.Zxid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Electors of several servers in one actor system, joined by a router that plays every server's
 * Peers gateway: a Send from one elector arrives at the addressed elector as Received. Once an
 * elector decides, the router answers looking servers on its behalf with its FOLLOWING or LEADING
 * notification, as the QuorumPeer does.
 *
 * <p>Servers started together have their first broadcasts held until all of them have sent one,
 * then delivered at once: every elector has every initial vote in its mailbox before any
 * finalize timer can run, so a slow machine cannot let two servers settle on a vote before the
 * best one is heard (real servers rely on the finalize wait for that).
 */
class ElectionActorTest {
  private static final ActorTestKit kit = ActorTestKit.create("ElectionActorTest",
      ConfigFactory.parseString("pekko.actor.provider = local\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s"));
  private static final ElectionRound.Timing TIMING =
      new ElectionRound.Timing(Duration.ofMillis(200), Duration.ofMillis(400));
  private static final Duration DECISION = Duration.ofSeconds(10);

  /** One server's decision. */
  record Outcome(int id, ElectionActor.Elected elected) {}

  sealed interface Msg {}

  record Start(int id, Vote self, boolean observer) implements Msg {}

  record Route(int from, Peers.Command command) implements Msg {}

  record Decided(int id, ElectionActor.Elected elected) implements Msg {}

  /**
   * @param together how many servers start at once; their first broadcasts are held back until
   *     each of them has sent one to everybody
   */
  static Behavior<Msg> router(Set<Integer> voters, Set<Integer> everyone, int together,
      ActorRef<Outcome> results) {
    return Behaviors.setup(ctx -> {
      ActorRef<Msg> self = ctx.getSelf();
      Map<Integer, ActorRef<ElectionActor.Command>> electors = new HashMap<>();
      Map<Integer, Notification> settled = new HashMap<>();
      Map<Integer, Boolean> observers = new HashMap<>();
      Map<Integer, Set<Integer>> announced = new HashMap<>();
      List<Route> held = new ArrayList<>();
      boolean[] open = {together == 0};
      Consumer<Route> deliver = r -> {
        Peers.Send send = (Peers.Send) r.command();
        Notification n = (Notification) send.message();
        Notification answer = settled.get(send.to());
        ActorRef<ElectionActor.Command> target = electors.get(send.to());
        if (answer != null && n.state() == ServerState.LOOKING) {
          ActorRef<ElectionActor.Command> asker = electors.get(r.from());
          if (asker != null) {
            asker.tell(new ElectionActor.Received(send.to(), answer));
          }
        } else if (target != null) {
          target.tell(new ElectionActor.Received(r.from(), n));
        }
      };
      return Behaviors.receive(Msg.class)
          .onMessage(Start.class, s -> {
            int id = s.id();
            ActorRef<Peers.Command> gateway = ctx.spawn(Behaviors.receive(Peers.Command.class)
                .onAnyMessage(c -> {
                  self.tell(new Route(id, c));
                  return Behaviors.same();
                }).build(), "gateway-" + id);
            ActorRef<ElectionActor.Elected> parent = ctx.spawn(
                Behaviors.receive(ElectionActor.Elected.class).onAnyMessage(e -> {
                  self.tell(new Decided(id, e));
                  return Behaviors.same();
                }).build(), "parent-" + id);
            observers.put(id, s.observer());
            electors.put(id, ctx.spawn(ElectionActor.create(id, voters, everyone, s.observer(),
                s.self(), 0, gateway, parent, TIMING), "elector-" + id));
            return Behaviors.same();
          })
          .onMessage(Route.class, r -> {
            if (open[0]) {
              deliver.accept(r);
              return Behaviors.same();
            }
            held.add(r);
            announced.computeIfAbsent(r.from(), k -> new HashSet<>())
                .add(((Peers.Send) r.command()).to());
            open[0] = announced.size() == together && announced.values().stream()
                .allMatch(to -> to.size() == everyone.size() - 1);
            if (open[0]) {
              held.forEach(deliver);
            }
            return Behaviors.same();
          })
          .onMessage(Decided.class, d -> {
            int leader = d.elected().vote().leaderId();
            ServerState state = leader == d.id() ? ServerState.LEADING
                : observers.get(d.id()) ? ServerState.OBSERVING : ServerState.FOLLOWING;
            electors.remove(d.id());
            settled.put(d.id(), new Notification(d.elected().vote(),
                d.elected().electionEpoch(), state));
            results.tell(new Outcome(d.id(), d.elected()));
            return Behaviors.same();
          })
          .build();
    });
  }

  private TestProbe<Outcome> results;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void probe() {
    results = kit.createTestProbe();
  }

  private Map<Integer, Vote> await(int count) {
    Map<Integer, Vote> decided = new HashMap<>();
    for (int i = 0; i < count; i++) {
      Outcome o = results.receiveMessage(DECISION);
      decided.put(o.id(), o.elected().vote());
    }
    return decided;
  }

  private Map<Integer, Vote> elect(Vote one, Vote two, Vote three) {
    ActorRef<Msg> r = kit.spawn(router(Set.of(1, 2, 3), Set.of(1, 2, 3), 3, results.ref()));
    r.tell(new Start(1, one, false));
    r.tell(new Start(2, two, false));
    r.tell(new Start(3, three, false));
    return await(3);
  }

  @Test
  void theNewestEpochWins() {
    Vote winner = new Vote(2, Zxid.of(3, 1), 3);
    Map<Integer, Vote> decided = elect(new Vote(1, Zxid.of(2, 9), 2), winner,
        new Vote(3, Zxid.of(2, 20), 2));
    assertEquals(Map.of(1, winner, 2, winner, 3, winner), decided);
  }

  @Test
  void theLongestHistoryWinsWithinAnEpoch() {
    Vote winner = new Vote(1, Zxid.of(1, 9), 1);
    Map<Integer, Vote> decided = elect(winner, new Vote(2, Zxid.of(1, 5), 1),
        new Vote(3, Zxid.of(1, 7), 1));
    assertEquals(Map.of(1, winner, 2, winner, 3, winner), decided);
  }

  @Test
  void theHighestIdBreaksATie() {
    Vote winner = new Vote(3, Zxid.of(1, 5), 1);
    Map<Integer, Vote> decided = elect(new Vote(1, Zxid.of(1, 5), 1),
        new Vote(2, Zxid.of(1, 5), 1), winner);
    assertEquals(Map.of(1, winner, 2, winner, 3, winner), decided);
  }

  @Test
  void aLateServerJoinsTheEstablishedLeader() {
    ActorRef<Msg> r = kit.spawn(router(Set.of(1, 2, 3), Set.of(1, 2, 3), 2, results.ref()));
    Vote leader = new Vote(2, Zxid.of(1, 6), 1);
    r.tell(new Start(1, new Vote(1, Zxid.of(1, 5), 1), false));
    r.tell(new Start(2, leader, false));
    assertEquals(Map.of(1, leader, 2, leader), await(2));

    // Server 3 would win an election of its own, but 1 and 2 already follow and lead.
    r.tell(new Start(3, new Vote(3, Zxid.of(1, 99), 1), false));
    assertEquals(Map.of(3, leader), await(1));
  }

  @Test
  void anObserverIsNeverElectedAndLearnsTheLeader() {
    ActorRef<Msg> r = kit.spawn(router(Set.of(1, 2, 3), Set.of(1, 2, 3, 4), 4,
        results.ref()));
    Vote winner = new Vote(3, Zxid.of(1, 5), 1);
    r.tell(new Start(4, new Vote(4, Zxid.of(9, 99), 9), true));
    r.tell(new Start(1, new Vote(1, Zxid.of(1, 5), 1), false));
    r.tell(new Start(2, new Vote(2, Zxid.of(1, 4), 1), false));
    r.tell(new Start(3, winner, false));
    assertEquals(Map.of(1, winner, 2, winner, 3, winner, 4, winner), await(4));
  }
}
