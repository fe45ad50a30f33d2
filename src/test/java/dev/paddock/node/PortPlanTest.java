package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortPlanTest {
  @Test
  void twoSettingsOnOnePortAreRefusedNamingBoth() {
    ConfigError e = assertThrows(ConfigError.class, () -> new PortPlan()
        .add("paddock.client-port", 2181)
        .add("paddock.typed-client-port", 2880)
        .add("paddock.admin.port", 2880)
        .checkDistinct());
    assertEquals("paddock.admin.port", e.key());
    assertTrue(e.getMessage().contains("paddock.typed-client-port"), e.getMessage());
  }

  @Test
  void distinctPortsAndSystemPickedOnesPass() {
    assertDoesNotThrow(() -> new PortPlan()
        .add("paddock.client-port", 0)
        .add("paddock.secure-client-port", 0)
        .add("paddock.peer-port", 2888)
        .add("paddock.typed-client-port", 2880)
        .checkDistinct());
  }
}
