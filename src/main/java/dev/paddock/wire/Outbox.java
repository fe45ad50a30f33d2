package dev.paddock.wire;

import dev.paddock.session.ClientLimits;
import java.io.IOException;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;

/**
 * The packets of one connection on their way to its socket, bounded in bytes: past
 * client-output-throttle the connection stops reading requests until half has drained, and a
 * packet that would take it past client-output-limit is not queued at all.
 */
final class Outbox {
  enum Offer {
    QUEUED,
    /** Queued, and the throttle has just engaged. */
    THROTTLED,
    /** Not queued: it would pass the limit. */
    OVER_LIMIT,
    /** Not queued: the queue holds as many packets as it may. */
    FULL,
    /** The outgoing side has ended. */
    GONE
  }

  private final BoundedSourceQueue<ByteString> out;
  private final OutputMeter meter;
  private final ClientLimits limits;
  private boolean throttled;

  Outbox(BoundedSourceQueue<ByteString> out, OutputMeter meter, ClientLimits limits) {
    this.out = out;
    this.meter = meter;
    this.limits = limits;
  }

  Offer offer(ByteString bytes) {
    if (out.isCompleted()) {
      return Offer.GONE;
    }
    long queued = meter.queued() + bytes.size();
    if (queued > limits.outputLimitBytes()) {
      return Offer.OVER_LIMIT;
    }
    meter.add(bytes.size());
    boolean engaged = queued >= limits.outputThrottleBytes() && !throttled && meter.pause();
    throttled |= engaged;
    if (out.offer(bytes) != QueueOfferResult.enqueued()) {
      return Offer.FULL;
    }
    return engaged ? Offer.THROTTLED : Offer.QUEUED;
  }

  boolean throttled() {
    return throttled;
  }

  /** The meter woke the connection: the client read enough to be read from again. */
  void drained() {
    throttled = false;
  }

  long queued() {
    return meter.queued();
  }

  long sentTotal() {
    return meter.sentTotal();
  }

  int packets() {
    return out.size();
  }

  /** Ends the outgoing side once what is queued is written. */
  void complete() {
    if (!out.isCompleted()) {
      out.complete();
    }
  }

  /** Ends the outgoing side at once, dropping what is queued; the socket is aborted. */
  void fail(String why) {
    out.fail(new IOException(why));
  }
}
