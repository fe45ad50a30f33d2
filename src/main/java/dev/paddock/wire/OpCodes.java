package dev.paddock.wire;

/**
 * ZooKeeper's opcodes and reserved xids, as its wire protocol numbers them (ZooDefs.OpCode and
 * ClientCnxn live in the zookeeper jar, which this server does not depend on at run time).
 */
final class OpCodes {
  static final int NOTIFICATION = 0;
  static final int CREATE = 1;
  static final int DELETE = 2;
  static final int EXISTS = 3;
  static final int GET_DATA = 4;
  static final int SET_DATA = 5;
  static final int GET_ACL = 6;
  static final int SET_ACL = 7;
  static final int GET_CHILDREN = 8;
  static final int SYNC = 9;
  static final int PING = 11;
  static final int GET_CHILDREN2 = 12;
  static final int CHECK = 13;
  static final int MULTI = 14;
  static final int CREATE2 = 15;
  static final int RECONFIG = 16;
  static final int CHECK_WATCHES = 17;
  static final int REMOVE_WATCHES = 18;
  static final int CREATE_CONTAINER = 19;
  static final int DELETE_CONTAINER = 20;
  static final int CREATE_TTL = 21;
  static final int MULTI_READ = 22;
  static final int AUTH = 100;
  static final int SET_WATCHES = 101;
  static final int SASL = 102;
  static final int GET_EPHEMERALS = 103;
  static final int GET_ALL_CHILDREN_NUMBER = 104;
  static final int SET_WATCHES2 = 105;
  static final int ADD_WATCH = 106;
  static final int WHO_AM_I = 107;
  static final int CREATE_SESSION = -10;
  static final int CLOSE_SESSION = -11;
  /** Marks a failed sub-result in a multi response. */
  static final int ERROR = -1;

  static final int NOTIFICATION_XID = -1;
  static final int PING_XID = -2;
  static final int AUTH_XID = -4;
  static final int SET_WATCHES_XID = -8;

  /** Keeper state of every notification a connected session receives. */
  static final int STATE_SYNC_CONNECTED = 3;

  private OpCodes() {}

  /** Whether ZooKeeper counts the request as an update (quorum) rather than a read. */
  static boolean isUpdate(int opcode) {
    return switch (opcode) {
      case CREATE, CREATE2, CREATE_CONTAINER, CREATE_TTL, DELETE, DELETE_CONTAINER, SET_ACL,
          SET_DATA, CHECK, MULTI, RECONFIG, CLOSE_SESSION, CREATE_SESSION, ERROR -> true;
      default -> false;
    };
  }

  /** The four-letter abbreviation ZooKeeper shows as a connection's last operation. */
  static String lastOpName(int opcode) {
    return switch (opcode) {
      case CREATE, CREATE2, CREATE_TTL, CREATE_CONTAINER -> "CREA";
      case DELETE, DELETE_CONTAINER -> "DELE";
      case EXISTS -> "EXIS";
      case GET_DATA -> "GETD";
      case SET_DATA -> "SETD";
      case GET_ACL -> "GETA";
      case SET_ACL -> "SETA";
      case GET_CHILDREN, GET_CHILDREN2 -> "GETC";
      case SYNC -> "SYNC";
      case PING -> "PING";
      case MULTI -> "MULT";
      case MULTI_READ -> "MLTR";
      case RECONFIG -> "RECO";
      case CHECK_WATCHES -> "CHKW";
      case REMOVE_WATCHES -> "REMW";
      case SET_WATCHES -> "SETW";
      case SET_WATCHES2 -> "STW2";
      case ADD_WATCH -> "ADDW";
      case WHO_AM_I -> "HOMI";
      case GET_EPHEMERALS -> "GETE";
      case GET_ALL_CHILDREN_NUMBER -> "GETACN";
      case CLOSE_SESSION -> "CLOS";
      case CREATE_SESSION -> "SESS";
      default -> "NA";
    };
  }
}
