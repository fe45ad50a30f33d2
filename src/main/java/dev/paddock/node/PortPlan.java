package dev.paddock.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports one server opens, by setting. Each is probed free on its own before start-up; two
 * settings naming the same port would only clash once both bind, after the node started, so
 * they are refused here, naming both keys.
 */
final class PortPlan {
  private final List<Map.Entry<String, Integer>> ports = new ArrayList<>();

  /** A port of 0 is picked by the system and never clashes. */
  PortPlan add(String key, int port) {
    if (port != 0) {
      ports.add(Map.entry(key, port));
    }
    return this;
  }

  void checkDistinct() {
    Map<Integer, String> seen = new HashMap<>();
    for (Map.Entry<String, Integer> e : ports) {
      String other = seen.putIfAbsent(e.getValue(), e.getKey());
      if (other != null) {
        throw new ConfigError(e.getKey(), e.getValue() + " is also " + other
            + "; each port a server opens must differ");
      }
    }
  }
}
