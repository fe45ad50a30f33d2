package dev.paddock.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.bench.FourLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin commands and probes of an ensemble: the leader's keys, and what a lost quorum shows. */
class AdminEnsembleTest {
  static final Duration MAX = Duration.ofSeconds(60);

  @TempDir Path dir;

  static JsonNode json(AdminHttp.Response r) {
    try {
      return r.json();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void leaderReportsItsLearnersAndProbesFollowTheQuorum() throws Exception {
    try (AdminEnsemble e = new AdminEnsemble(dir,
        Map.of("paddock.four-letter-words", List.of("srvr", "mntr")))) {
      e.startAll();
      for (int id = 1; id <= AdminEnsemble.SIZE; id++) {
        e.await(id, "/ready", r -> r.status() == 200, MAX);
      }
      JsonNode lead = json(AdminHttp.get(e.base(1), "/commands/leader"));
      int leader = lead.get("leader_id").asInt();
      assertEquals("127.0.0.1", lead.get("leader_ip").asText());
      List<Integer> followers = new ArrayList<>();
      for (int id = 1; id <= AdminEnsemble.SIZE; id++) {
        JsonNode l = json(AdminHttp.get(e.base(id), "/commands/leader"));
        assertEquals(leader, l.get("leader_id").asInt(), "server " + id + " agrees");
        assertEquals(id == leader, l.get("is_leader").asBoolean());
        JsonNode zab = json(AdminHttp.get(e.base(id), "/commands/zabstate"));
        assertEquals("broadcast", zab.get("zabstate").asText());
        assertTrue(zab.get("voting").asBoolean());
        assertEquals(3, json(AdminHttp.get(e.base(id), "/commands/voting_view"))
            .get("current_config").size());
        if (id != leader) {
          followers.add(id);
          JsonNode m = json(AdminHttp.get(e.base(id), "/commands/mntr"));
          assertEquals("follower", m.get("server_state").asText());
          assertFalse(m.has("synced_followers"), "only the leader reports learners");
        }
      }
      JsonNode m = json(e.await(leader, "/commands/mntr",
          r -> json(r).path("synced_followers").asInt() == 2, MAX));
      assertEquals("leader", m.get("server_state").asText());
      assertEquals(2, m.get("learners").asInt());
      assertEquals(2, m.get("followers").asInt());
      assertEquals(0, m.get("pending_syncs").asInt());
      assertTrue(json(AdminHttp.get(e.base(leader), "/commands/srvr")).has("proposal_stats"));
      // The same on the client port's mntr, with ZooKeeper's zk_ names and tab separator.
      Map<String, String> word = FourLetter.mntr(e.clientPort(leader));
      assertEquals("leader", word.get("zk_server_state"));
      assertEquals("2", word.get("zk_followers"));
      assertEquals("2", word.get("zk_synced_followers"));
      assertEquals("0", word.get("zk_pending_syncs"));
      Map<String, String> ofFollower = FourLetter.mntr(e.clientPort(followers.get(0)));
      assertEquals("follower", ofFollower.get("zk_server_state"));
      assertFalse(ofFollower.containsKey("zk_synced_followers"), "only the leader reports them");

      e.kill(followers.get(0));
      e.await(leader, "/commands/mntr",
          r -> json(r).path("synced_followers").asInt() == 1, MAX);
      e.kill(followers.get(1));
      AdminHttp.Response ready = e.await(leader, "/ready", r -> r.status() == 503, MAX);
      assertTrue(ready.body().startsWith("not serving"), ready.body());
      assertEquals(200, AdminHttp.get(e.base(leader), "/alive").status());
      AdminHttp.Response srvr = AdminHttp.get(e.base(leader), "/commands/srvr");
      assertEquals(503, srvr.status());
      assertEquals("This ZooKeeper instance is not currently serving requests",
          json(srvr).get("error").asText());
      assertEquals("election", json(AdminHttp.get(e.base(leader), "/commands/zabstate"))
          .get("zabstate").asText());
    }
  }

  /**
   * The admin server waits for the node to serve before it starts, but not forever: an operator
   * needs it most on a server that cannot elect a leader.
   */
  @Test
  void aServerThatCannotElectStillOpensItsAdminServer() throws Exception {
    try (AdminEnsemble e = new AdminEnsemble(dir, Map.of())) {
      e.start(1);
      AdminHttp.Response ready = e.await(1, "/ready", r -> r.status() == 503, MAX);
      assertTrue(ready.body().startsWith("not serving"), ready.body());
      assertEquals(200, AdminHttp.get(e.base(1), "/alive").status());
      assertEquals("election", json(AdminHttp.get(e.base(1), "/commands/zabstate"))
          .get("zabstate").asText());
    }
  }
}
