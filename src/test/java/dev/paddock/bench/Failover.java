package dev.paddock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time from kill -9 of the leader to the next acknowledged write. A writer session on the
 * followers (only the followers are in its server list) writes one setData at a time; after
 * two seconds of steady writes it kills the leader itself, between two writes, so no write is in
 * flight at the kill, and the clock starts just before SIGKILL is sent. The writer then keeps
 * writing (a failed write is retried after 2 ms) until one is acknowledged; the gap is that
 * acknowledgement minus the kill. Then the killed server is restarted and rejoins before the next
 * round.
 */
final class Failover {
  record Round(int killedId, int newLeaderId, double gapMs, int failedWrites,
      Map<String, Integer> errors, FailoverPhases phases) {}

  private static final String PATH = "/bench-failover";

  private Failover() {}

  static List<Round> run(Cluster c, Driver.Factory factory, int rounds, byte[] data)
      throws Exception {
    List<Round> out = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      int leader = c.awaitServing(Duration.ofSeconds(120));
      List<String> followers = new ArrayList<>();
      for (int i = 0; i < c.members.size(); i++) {
        if (i != leader) {
          followers.add(factory.address(c, i));
        }
      }
      Bench.progress("  failover round " + r + "/" + rounds + ": writer on followers "
          + followers + ", killing leader " + c.members.get(leader).process().name());
      Round round;
      try (Driver w = factory.connect(followers)) {
        Driver.ensure(w, PATH, Duration.ofSeconds(60));
        long steadyUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < steadyUntil) {
          String err = write(w, data);
          if (err != null) {
            throw new IllegalStateException("write failed before the kill: " + err);
          }
        }
        long killedAt = System.nanoTime();
        java.time.LocalTime killedClock = java.time.LocalTime.now();
        c.kill9(leader);
        int failed = 0;
        Map<String, Integer> errors = new TreeMap<>();
        long giveUp = killedAt + TimeUnit.SECONDS.toNanos(180);
        long ackedAt = -1;
        while (System.nanoTime() < giveUp) {
          String err = write(w, data);
          if (err == null) {
            ackedAt = System.nanoTime();
            break;
          }
          failed++;
          errors.merge(err, 1, Integer::sum);
          Thread.sleep(2);
        }
        if (ackedAt < 0) {
          throw new IllegalStateException("no write acknowledged within 180 s of the kill; "
              + "errors " + errors + "\n" + c.logTails());
        }
        int newLeader = c.awaitServing(Duration.ofSeconds(120));
        double gapMs = (ackedAt - killedAt) / 1e6;
        List<String> survivorLogs = new ArrayList<>();
        for (int i = 0; i < c.members.size(); i++) {
          if (i != leader) {
            survivorLogs.add(c.members.get(i).process().log());
          }
        }
        round = new Round(c.members.get(leader).id(), c.members.get(newLeader).id(), gapMs,
            failed, errors, FailoverPhases.read(survivorLogs, killedClock, gapMs,
                c.product.equals("Paddock")));
        Bench.progress(String.format(java.util.Locale.ROOT,
            "    killed at %s; next acknowledged write %.0f ms later (%d failed attempts %s; %s)",
            killedClock, round.gapMs(), failed, errors, round.phases().describe()));
      }
      out.add(round);
      c.restart(leader);
      c.awaitServing(Duration.ofSeconds(180));
      // Not a wait for a condition: a quiet spell, so the next round does not start while the
      // restarted server is still catching up its log and JIT (that would be measured as
      // fail-over time).
      Thread.sleep(3000);
    }
    return out;
  }

  private static String write(Driver w, byte[] data) throws Exception {
    CompletableFuture<String> f = new CompletableFuture<>();
    w.setData(PATH, data, f::complete);
    String err = f.get(150, TimeUnit.SECONDS);
    return err;
  }
}
