package dev.paddock.session;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.request.Op;
import dev.paddock.security.LogSafe;
import dev.paddock.tree.ApplyResult;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log (ZooKeeper's since 3.6): one line per session opened or closed and per change
 * of the tree or of an ACL, with who asked, what, where and how it ended, in its own logger
 * {@value #LOGGER} so that it can go to its own file. Lines are written by the server the
 * client is connected to, which knows the session's identities; an expiry by the leader, which
 * decides it. Off unless {@code paddock.audit.enabled}.
 */
public final class AuditLog {
  public static final String LOGGER = "dev.paddock.audit";
  public static final AuditLog OFF = new AuditLog(false);
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final boolean enabled;

  private AuditLog(boolean enabled) {
    this.enabled = enabled;
  }

  /** @throws ConfigException when paddock.audit.enabled is not a boolean */
  public static AuditLog from(Config root) {
    String key = "paddock.audit.enabled";
    return root.hasPath(key) && root.getBoolean(key) ? new AuditLog(true) : OFF;
  }

  /** As {@link #from}, but a running system falls back to off rather than failing. */
  static AuditLog lenient(Config root) {
    try {
      return from(root);
    } catch (ConfigException e) {
      return OFF;
    }
  }

  public boolean enabled() {
    return enabled;
  }

  void sessionCreated(long sessionId, List<Id> ids, int timeoutMs, long zxid) {
    if (enabled) {
      line(sessionId, ids, "createSession", null, "timeout=" + timeoutMs + "ms", zxid, Code.OK);
    }
  }

  void sessionClosed(long sessionId, List<Id> ids, long zxid) {
    if (enabled) {
      line(sessionId, ids, "closeSession", null, null, zxid, Code.OK);
    }
  }

  void sessionExpired(long sessionId) {
    if (enabled) {
      LOG.info("session=0x{} user=- operation=closeSession result=expired",
          Long.toHexString(sessionId));
    }
  }

  /** A write this server's client asked for, as the tree applied it. */
  void write(long sessionId, List<Id> ids, Op op, ApplyResult result, long zxid) {
    if (!enabled || result == null) {
      return;
    }
    if (op instanceof Op.Multi m && !result.multi().isEmpty()) {
      for (int i = 0; i < m.ops().size() && i < result.multi().size(); i++) {
        ApplyResult sub = result.multi().get(i);
        // A failed multi changed nothing: each op reports what failed it, or the multi's code.
        Code code = result.code() == Code.OK || sub.code() != Code.OK ? sub.code()
            : result.code();
        one(sessionId, ids, m.ops().get(i), sub, code, "multi", zxid);
      }
      return;
    }
    one(sessionId, ids, op, result, result.code(), null, zxid);
  }

  private void one(long sessionId, List<Id> ids, Op op, ApplyResult r, Code code,
      String within, long zxid) {
    String name = name(op);
    if (name == null) {
      return;
    }
    String path = code == Code.OK && r.path() != null ? r.path() : op.path();
    String extra = acl(op);
    if (within != null) {
      extra = extra == null ? "in=" + within : extra + " in=" + within;
    }
    line(sessionId, ids, name, path, extra, zxid, code);
  }

  private static void line(long sessionId, List<Id> ids, String operation, String path,
      String extra, long zxid, Code code) {
    StringBuilder b = new StringBuilder("session=0x").append(Long.toHexString(sessionId))
        .append(" user=").append(user(ids)).append(" operation=").append(operation);
    if (path != null) {
      b.append(" znode=").append(LogSafe.text(path));
    }
    if (extra != null) {
      b.append(' ').append(extra);
    }
    if (zxid >= 0) {
      b.append(" zxid=0x").append(Long.toHexString(zxid));
    }
    b.append(" result=").append(code == Code.OK ? "ok" : code.name());
    LOG.info(b.toString());
  }

  /** Ops that change the tree or an ACL; null for the rest (a check changes nothing). */
  private static String name(Op op) {
    if (op instanceof Op.Create) {
      return "create";
    } else if (op instanceof Op.Delete) {
      return "delete";
    } else if (op instanceof Op.DeleteContainer) {
      return "deleteContainer";
    } else if (op instanceof Op.SetData) {
      return "setData";
    } else if (op instanceof Op.SetAcl) {
      return "setAcl";
    } else if (op instanceof Op.Multi) {
      return "multi";
    }
    return null;
  }

  private static String acl(Op op) {
    List<Acl> acl = op instanceof Op.Create c ? c.acl()
        : op instanceof Op.SetAcl s ? s.acl() : null;
    if (acl == null) {
      return null;
    }
    return "acl=" + LogSafe.text(acl.stream()
        .map(a -> identity(a.id()) + ":" + perms(a.perms()))
        .collect(Collectors.joining(",")));
  }

  private static String perms(int p) {
    StringBuilder b = new StringBuilder();
    b.append((p & Perms.CREATE) != 0 ? "c" : "").append((p & Perms.DELETE) != 0 ? "d" : "")
        .append((p & Perms.READ) != 0 ? "r" : "").append((p & Perms.WRITE) != 0 ? "w" : "")
        .append((p & Perms.ADMIN) != 0 ? "a" : "");
    return b.toString();
  }

  /** The session's identities, as ZooKeeper's audit log names the user. */
  private static String user(List<Id> ids) {
    if (ids == null || ids.isEmpty()) {
      return "-";
    }
    return LogSafe.text(ids.stream().map(AuditLog::identity).collect(Collectors.joining(",")));
  }

  /** A digest identity names its user only: its password hash could be attacked offline. */
  private static String identity(Id id) {
    String name = id.id();
    if ("digest".equals(id.scheme()) && name.indexOf(':') >= 0) {
      name = name.substring(0, name.indexOf(':'));
    }
    return id.scheme() + ":" + name;
  }
}
