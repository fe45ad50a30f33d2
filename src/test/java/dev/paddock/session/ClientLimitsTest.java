package dev.paddock.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** The client limits as configured: defaults, sizes, and a clear error naming a bad key. */
class ClientLimitsTest {
  @Test
  void defaultsAreZooKeepersOutstandingLimitAndBoundedOutput() {
    ClientLimits l = ClientLimits.from(ConfigFactory.load());
    assertEquals(ClientLimits.DEFAULT, l);
    assertEquals(1000, l.maxRequests());
  }

  @Test
  void sizesAreReadWithUnits() {
    ClientLimits l = ClientLimits.from(ConfigFactory.parseString(
        "paddock { max-outstanding-requests = 10, client-output-throttle = 1 MiB, "
            + "client-output-limit = 8 MiB }").withFallback(ConfigFactory.load()));
    assertEquals(10, l.maxRequests());
    assertEquals(1 << 20, l.outputThrottleBytes());
    assertEquals(8 << 20, l.outputLimitBytes());
  }

  @Test
  void badValuesNameTheirKey() {
    ClientLimits.Invalid e = assertThrows(ClientLimits.Invalid.class, () -> ClientLimits.from(
        ConfigFactory.parseString("paddock.client-output-limit = 1 MiB")
            .withFallback(ConfigFactory.load())));
    assertEquals("paddock.client-output-limit", e.key());
    assertTrue(e.getMessage().contains("not above client-output-throttle"), e.getMessage());
    ClientLimits.Invalid zero = assertThrows(ClientLimits.Invalid.class, () -> ClientLimits.from(
        ConfigFactory.parseString("paddock.max-outstanding-requests = 0")
            .withFallback(ConfigFactory.load())));
    assertEquals("paddock.max-outstanding-requests", zero.key());
  }
}
