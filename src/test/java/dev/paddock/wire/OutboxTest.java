package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.session.ClientLimits;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A connection's outgoing packets are bounded in bytes: throttle, limit, and drain. */
class OutboxTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final int KIB = 1024;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void throttlesPastTheThrottleRefusesPastTheLimitAndWakesWhenDrained() throws Exception {
    ClientLimits limits = new ClientLimits(1000, 1 << 20, 64 * KIB, 128 * KIB);
    Materializer mat = Materializer.matFromSystem(KIT.system());
    Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> queue =
        Source.<ByteString>queue(1000).preMaterialize(mat);
    OutputMeter meter = new OutputMeter(limits.outputThrottleBytes());
    CountDownLatch drained = new CountDownLatch(1);
    meter.onDrained(drained::countDown);
    Outbox outbox = new Outbox(queue.first(), meter, limits);
    ByteString packet = ByteString.fromArray(new byte[40 * KIB]);

    assertEquals(Outbox.Offer.QUEUED, outbox.offer(packet));
    assertEquals(Outbox.Offer.THROTTLED, outbox.offer(packet), "80 KiB is past 64 KiB");
    assertTrue(outbox.throttled());
    assertEquals(Outbox.Offer.QUEUED, outbox.offer(packet), "120 KiB is within the limit");
    assertEquals(Outbox.Offer.OVER_LIMIT, outbox.offer(packet), "160 KiB would be past it");
    assertEquals(120 * KIB, outbox.queued(), "a refused packet is not counted");
    assertFalse(drained.await(0, TimeUnit.MILLISECONDS));

    // The socket takes what is queued, and whatever comes next.
    queue.second().map(b -> {
      meter.sent(b.size());
      return b;
    }).runWith(Sink.ignore(), mat);
    assertTrue(drained.await(10, TimeUnit.SECONDS), "the connection is woken");
    assertEquals(0, outbox.queued());
    assertEquals(120 * KIB, outbox.sentTotal());
    outbox.drained();
    assertFalse(outbox.throttled());
    assertEquals(Outbox.Offer.QUEUED, outbox.offer(packet));
  }

  @Test
  void aPausedMeterWakesOnceBelowHalfTheThrottle() {
    OutputMeter meter = new OutputMeter(64 * KIB);
    int[] wakes = {0};
    meter.onDrained(() -> wakes[0]++);
    meter.add(10);
    assertFalse(meter.pause(), "below half the throttle: nothing would ever wake the caller");
    meter.add(70 * KIB);
    assertTrue(meter.pause());
    meter.sent(30 * KIB);
    assertEquals(0, wakes[0], "40 KiB left is above half the throttle");
    meter.sent(10 * KIB);
    meter.sent(10 * KIB);
    assertEquals(1, wakes[0], "woken once, when it went below 32 KiB");
  }
}
