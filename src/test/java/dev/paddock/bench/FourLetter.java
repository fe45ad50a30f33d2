package dev.paddock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** ZooKeeper four-letter words on a client port (both ZooKeeper and Paddock answer them). */
public final class FourLetter {
  private FourLetter() {}

  /** The answer, or null if nothing listens or nothing came back. */
  static String ask(int port, String word) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return answer.isEmpty() ? null : answer;
    } catch (IOException e) {
      return null;
    }
  }

  /** srvr's "Mode:" line (standalone, leader, follower, observer), or null. */
  static String mode(int port) {
    return line(ask(port, "srvr"), "Mode: ");
  }

  /** srvr's "Zxid:" (the last zxid the server processed), or -1. */
  static long zxid(int port) {
    String z = line(ask(port, "srvr"), "Zxid: ");
    if (z == null) {
      return -1;
    }
    try {
      return Long.parseUnsignedLong(z.startsWith("0x") ? z.substring(2) : z, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** mntr as key → value (keys as printed, e.g. zk_cnt_fsynctime); empty if unavailable. */
  public static Map<String, String> mntr(int port) {
    Map<String, String> out = new LinkedHashMap<>();
    String text = ask(port, "mntr");
    if (text == null) {
      return out;
    }
    for (String l : text.split("\n")) {
      int tab = l.indexOf('\t');
      if (tab > 0) {
        out.put(l.substring(0, tab).trim(), l.substring(tab + 1).trim());
      }
    }
    return out;
  }

  private static String line(String text, String prefix) {
    if (text == null) {
      return null;
    }
    for (String l : text.split("\n")) {
      if (l.startsWith(prefix)) {
        return l.substring(prefix.length()).trim();
      }
    }
    return null;
  }
}
