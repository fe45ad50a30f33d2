package dev.paddock.zab;

import dev.paddock.request.Op;
import dev.paddock.request.WriteRequest;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Which nodes the leader should remove now (ZooKeeper's ContainerManager): containers that had
 * children and have none left, and TTL nodes without children unchanged for longer than their
 * TTL. The deletes go through the ordinary write path, so a node that changed in the meantime
 * is refused there, not here.
 */
public final class ContainerReaper {
  private ContainerReaper() {}

  public static List<WriteRequest> due(TreeSnapshot t, long nowMillis) {
    List<WriteRequest> out = new ArrayList<>();
    for (String path : PersistentColls.toList(t.containers())) {
      DataNode n = t.node(path);
      if (n != null && n.numChildren() == 0 && n.createCount() > 0) {
        out.add(delete(path));
      }
    }
    for (String path : PersistentColls.toList(t.ttls())) {
      DataNode n = t.node(path);
      if (n != null && n.numChildren() == 0
          && nowMillis - n.mtime() > NodeKind.ttlOf(n.ephemeralOwner())) {
        out.add(delete(path));
      }
    }
    return out;
  }

  private static WriteRequest delete(String path) {
    return new WriteRequest(0, 0, new Op.DeleteContainer(path), List.of());
  }
}
