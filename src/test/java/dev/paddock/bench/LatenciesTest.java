package dev.paddock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void percentilesOfSeveralClientsAreWithinATenthOfAPercentOfTheExactOnes() {
    Latencies l = new Latencies(3);
    // 1..30,000 µs spread over three clients: p50 = 15 ms, p99 = 29.7 ms, p99.9 = 29.97 ms.
    for (int us = 1; us <= 30_000; us++) {
      l.record(us % 3, us * 1_000L);
    }
    Latencies.Summary s = l.summary();
    assertEquals(30_000, s.count());
    assertEquals(15.0, s.p50(), 15.0 * 0.001);
    assertEquals(29.7, s.p99(), 29.7 * 0.001);
    assertEquals(29.97, s.p999(), 29.97 * 0.001);
    assertEquals(30.0, s.max(), 30.0 * 0.001);
  }

  @Test
  void noSamplesGiveNoFigures() {
    Latencies.Summary s = new Latencies(2).summary();
    assertEquals(0, s.count());
    assertTrue(Double.isNaN(s.p50()) && Double.isNaN(s.max()));
  }

  @Test
  void aSampleBeyondTheRangeIsCountedAtTheTopOfIt() {
    Latencies l = new Latencies(1);
    l.record(0, Long.MAX_VALUE);
    l.record(0, 0);
    Latencies.Summary s = l.summary();
    assertEquals(2, s.count());
    assertEquals(600_000.0, s.max(), 600.0);
  }
}
