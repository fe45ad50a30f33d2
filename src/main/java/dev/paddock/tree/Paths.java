package dev.paddock.tree;

/** ZooKeeper's path rules, applied before any request touches the tree. */
public final class Paths {
  private Paths() {}

  /** Returns null when the path is valid, otherwise the reason it is not. */
  public static String invalidReason(String path) {
    if (path == null) {
      return "Path cannot be null";
    }
    if (path.isEmpty()) {
      return "Path length must be > 0";
    }
    if (path.charAt(0) != '/') {
      return "Path must start with / character";
    }
    if (path.length() == 1) {
      return null;
    }
    if (path.charAt(path.length() - 1) == '/') {
      return "Path must not end with / character";
    }
    char last = '/';
    for (int i = 1; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0) {
        return "null character not allowed @" + i;
      } else if (c == '/' && last == '/') {
        return "empty node name specified @" + i;
      } else if (c == '.' && last == '.') {
        if (path.charAt(i - 2) == '/' && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
          return "relative paths not allowed @" + i;
        }
      } else if (c == '.') {
        if (path.charAt(i - 1) == '/' && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
          return "relative paths not allowed @" + i;
        }
      } else if (c > '\u0000' && c <= '\u001f'
          || c >= '\u007f' && c <= '\u009F'
          || c >= '\ud800' && c <= '\uf8ff'
          || c >= '\ufff0' && c <= '\uffff') {
        return "invalid character @" + i;
      }
      last = c;
    }
    return null;
  }

  public static boolean isValid(String path) {
    return invalidReason(path) == null;
  }

  /** A sequential create is validated with a digit appended, as its final name will have one. */
  public static String invalidReason(String path, boolean sequential) {
    return invalidReason(sequential ? path + "1" : path);
  }

  /** The parent of a valid non-root path; "/" for top-level nodes. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public static String child(String parent, String name) {
    return parent.equals("/") ? "/" + name : parent + "/" + name;
  }

  /** True when {@code path} is {@code ancestor} or lies below it. */
  public static boolean isUnder(String path, String ancestor) {
    if (ancestor.equals("/")) {
      return true;
    }
    return path.equals(ancestor)
        || path.startsWith(ancestor) && path.length() > ancestor.length()
            && path.charAt(ancestor.length()) == '/';
  }
}
