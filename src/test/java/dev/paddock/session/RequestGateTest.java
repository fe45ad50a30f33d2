package dev.paddock.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The server-wide request gate: an exact count, a byte bound, and no lost wake-ups. */
class RequestGateTest {

  @Test
  void admitsUpToTheLimitAndWakesAWaiterPerPlaceGivenBack() {
    RequestGate gate = new RequestGate(3, Long.MAX_VALUE);
    assertTrue(gate.tryEnter(10));
    assertTrue(gate.tryEnter(10));
    assertTrue(gate.tryEnter(10));
    assertFalse(gate.tryEnter(10));
    List<String> woken = new ArrayList<>();
    gate.await(() -> woken.add("a"));
    gate.await(() -> woken.add("b"));
    assertEquals(List.of(), woken, "no room yet");
    gate.leave(10);
    assertEquals(List.of("a"), woken);
    assertTrue(gate.tryEnter(10), "the woken one takes the place");
    gate.leave(10);
    assertEquals(List.of("a", "b"), woken);
    assertEquals(3, gate.peak());
  }

  @Test
  void aWaiterThatArrivesWhenThereIsRoomIsWokenAtOnce() {
    RequestGate gate = new RequestGate(1, Long.MAX_VALUE);
    int[] woken = {0};
    gate.await(() -> woken[0]++);
    assertEquals(1, woken[0]);
  }

  @Test
  void bytesInFlightBoundAdmissionButNeverStarveALoneRequest() {
    RequestGate gate = new RequestGate(100, 1000);
    assertTrue(gate.tryEnter(5000), "alone, a request larger than the bound gets through");
    assertFalse(gate.tryEnter(1), "nothing else while it is in flight");
    gate.leave(5000);
    assertTrue(gate.tryEnter(600));
    assertTrue(gate.tryEnter(600), "admitted while below the bound");
    assertFalse(gate.tryEnter(1));
    assertEquals(1200, gate.bytesInFlight());
  }

  /** Many threads entering and leaving never see more than the limit in flight. */
  @Test
  void theCountIsExactUnderContention() throws Exception {
    RequestGate gate = new RequestGate(50, Long.MAX_VALUE);
    AtomicInteger over = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(8);
    for (int t = 0; t < 8; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          if (gate.tryEnter(1)) {
            if (gate.inFlight() > 50) {
              over.incrementAndGet();
            }
            gate.leave(1);
          }
        }
        done.countDown();
      });
      worker.start();
    }
    assertTrue(done.await(60, TimeUnit.SECONDS));
    assertEquals(0, over.get());
    assertTrue(gate.peak() <= 50);
    assertEquals(0, gate.inFlight());
    assertEquals(0, gate.bytesInFlight());
  }
}
