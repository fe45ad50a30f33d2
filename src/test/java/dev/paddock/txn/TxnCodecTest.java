package dev.paddock.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The binary txn form shared by the journal and peers: exact round trips, refusal of garbage. */
class TxnCodecTest {
  private static final List<Acl> ACL = List.of(
      new Acl(Perms.ALL, Id.ANYONE),
      new Acl(Perms.READ | Perms.ADMIN, new Id("digest", "u:h4sh=")),
      new Acl(0, new Id("ip", "10.0.0.0/8")));

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Stream<Txn> everyTxn() {
    return Stream.of(
        new Txn.CreateSession(30_000),
        new Txn.CreateSession(Integer.MIN_VALUE),
        new Txn.CloseSession(),
        new Txn.Create("/a", b("data"), ACL, 0, 1),
        new Txn.Create("/a/s-0000000007", null, Acl.OPEN_ACL_UNSAFE, 0x0100_0000_0000_0001L, 8),
        new Txn.Create("/\u00e9\u4e2d", new byte[0], List.of(), Long.MIN_VALUE, Integer.MAX_VALUE),
        new Txn.Create("/t", new byte[] {0, -1, 127, -128}, ACL, 0xff00_0000_0000_1000L, -1),
        new Txn.Delete("/a/b"),
        new Txn.SetData("/a", b("new"), 3),
        new Txn.SetData("/a", null, -1),
        new Txn.SetData("/a", new byte[0], 0),
        new Txn.SetAcl("/a", ACL, 2),
        new Txn.Check("/a", 5),
        new Txn.Error(Code.NO_NODE),
        new Txn.Error(Code.OK),
        new Txn.Multi(List.of()),
        new Txn.Multi(List.of(
            new Txn.Create("/m", null, ACL, 0, 1),
            new Txn.SetData("/m", b("x"), 1),
            new Txn.Check("/m", 2),
            new Txn.Delete("/m"))),
        new Txn.Multi(List.of(new Txn.Error(Code.OK), new Txn.Error(Code.BAD_VERSION),
            new Txn.Error(Code.RUNTIME_INCONSISTENCY))),
        new Txn.Multi(List.of(new Txn.Multi(List.of(new Txn.Delete("/nested"))),
            new Txn.CloseSession())));
  }

  /** Records holding arrays compare by identity, so compare their encodings instead. */
  private static void assertSameTxn(Txn expected, Txn actual) {
    assertEquals(expected.getClass(), actual.getClass());
    if (expected instanceof Txn.Create e && actual instanceof Txn.Create a) {
      assertEquals(e.path(), a.path());
      assertNullableArrayEquals(e.data(), a.data());
      assertEquals(e.acl(), a.acl());
      assertEquals(e.ephemeralOwner(), a.ephemeralOwner());
      assertEquals(e.parentCVersion(), a.parentCVersion());
    } else if (expected instanceof Txn.SetData e && actual instanceof Txn.SetData a) {
      assertEquals(e.path(), a.path());
      assertNullableArrayEquals(e.data(), a.data());
      assertEquals(e.version(), a.version());
    } else if (expected instanceof Txn.Multi e && actual instanceof Txn.Multi a) {
      assertEquals(e.ops().size(), a.ops().size());
      for (int i = 0; i < e.ops().size(); i++) {
        assertSameTxn(e.ops().get(i), a.ops().get(i));
      }
    } else {
      assertEquals(expected, actual);
    }
  }

  private static void assertNullableArrayEquals(byte[] expected, byte[] actual) {
    if (expected == null) {
      assertNull(actual, "null data must stay null, not become empty");
    } else {
      assertArrayEquals(expected, actual);
    }
  }

  @ParameterizedTest
  @MethodSource("everyTxn")
  void everyTxnRoundTripsWithItsHeader(Txn txn) throws IOException {
    TxnEntry e = new TxnEntry(0x0000_0003_0000_0042L, 0x0100_0000_0000_0001L, 77, 1_700_000_000_123L,
        txn);
    byte[] bytes = TxnCodec.toBytes(e);
    TxnEntry back = TxnCodec.fromBytes(bytes);
    assertEquals(e.zxid(), back.zxid());
    assertEquals(e.sessionId(), back.sessionId());
    assertEquals(e.cxid(), back.cxid());
    assertEquals(e.time(), back.time());
    assertSameTxn(txn, back.txn());
    assertArrayEquals(bytes, TxnCodec.toBytes(back), "re-encoding gives the same bytes");
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void everyErrorCodeSurvivesTheRoundTrip(Code code) throws IOException {
    Txn back = TxnCodec.fromBytes(TxnCodec.toBytes(new TxnEntry(1, 1, 1, 1, new Txn.Error(code))))
        .txn();
    assertEquals(new Txn.Error(code), back);
  }

  @Test
  void aclEntriesWithNullPartsRoundTrip() throws IOException {
    Txn t = new Txn.SetAcl("/a", List.of(new Acl(1, new Id(null, null))), 0);
    assertEquals(t, TxnCodec.fromBytes(TxnCodec.toBytes(new TxnEntry(1, 1, 1, 1, t))).txn());
  }

  @Test
  void nullAndEmptyDataHaveDifferentEncodings() {
    byte[] nul = TxnCodec.toBytes(new TxnEntry(1, 1, 1, 1, new Txn.SetData("/a", null, 0)));
    byte[] empty = TxnCodec.toBytes(new TxnEntry(1, 1, 1, 1,
        new Txn.SetData("/a", new byte[0], 0)));
    assertTrue(!Arrays.equals(nul, empty));
  }

  // ---- corrupt input ----

  /** Header (zxid, session, cxid, time) followed by the given txn bytes. */
  private static byte[] entryWith(byte... txn) {
    ByteBuffer buf = ByteBuffer.allocate(28 + txn.length);
    buf.putLong(1).putLong(2).putInt(3).putLong(4).put(txn);
    return buf.array();
  }

  private static byte[] ints(int tag, int... values) {
    ByteBuffer buf = ByteBuffer.allocate(1 + 4 * values.length);
    buf.put((byte) tag);
    for (int v : values) {
      buf.putInt(v);
    }
    return buf.array();
  }

  @Test
  void negativeLengthsOtherThanTheNullMarkerAreCorrupt() {
    IOException e = assertThrows(IOException.class,
        () -> TxnCodec.fromBytes(entryWith(ints(4, -2))));
    assertTrue(e.getMessage().contains("-2"));
    assertThrows(IOException.class,
        () -> TxnCodec.fromBytes(entryWith(ints(4, Integer.MIN_VALUE))));
  }

  @Test
  void lengthsAboveTheFieldLimitAreRefusedBeforeAllocating() {
    assertThrows(IOException.class,
        () -> TxnCodec.fromBytes(entryWith(ints(4, TxnCodec.MAX_FIELD + 1))));
    assertThrows(IOException.class,
        () -> TxnCodec.fromBytes(entryWith(ints(4, Integer.MAX_VALUE))));
  }

  @Test
  void corruptCountsOfMultiOpsAndAclEntriesAreRefused() {
    assertThrows(IOException.class, () -> TxnCodec.fromBytes(entryWith(ints(9, -1))));
    assertThrows(IOException.class,
        () -> TxnCodec.fromBytes(entryWith(ints(9, TxnCodec.MAX_FIELD + 1))));
    // SetAcl: path "/" then an ACL count of -5.
    assertThrows(IOException.class,
        () -> TxnCodec.fromBytes(entryWith(concat(ints(6, 1), new byte[] {'/'}, ints4(-5)))));
  }

  @Test
  void aCreatePathThatIsNoValidUtf8OrMissingIsRefused() {
    // Tag 3 (create), a path of two bytes that no string encodes to, then the rest of a create.
    byte[] rest = concat(ints4(-1), ints4(0), new byte[12]);
    assertThrows(IOException.class, () -> TxnCodec.fromBytes(
        entryWith(concat(ints(3, 2), new byte[] {'/', (byte) 0xff}, rest))));
    assertThrows(IOException.class, () -> TxnCodec.fromBytes(
        entryWith(concat(ints(3, 2), new byte[] {'/', (byte) 0xc0}, rest))));
    assertThrows(IOException.class,
        () -> TxnCodec.fromBytes(entryWith(concat(ints(3, -1), rest))));
    byte[] valid = concat(ints(3, 3), "/\u00e9".getBytes(StandardCharsets.UTF_8), rest);
    assertDoesNotThrow(() -> TxnCodec.fromBytes(entryWith(valid)));
  }

  @Test
  void aCreateOfNoValidPathCannotBeMade() {
    assertThrows(IllegalArgumentException.class,
        () -> new Txn.Create("/a\ud800", null, ACL, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Txn.Create(new byte[] {'/', (byte) 0xff}, null, ACL, 0, 1));
    assertThrows(NullPointerException.class,
        () -> new Txn.Create((byte[]) null, null, ACL, 0, 1));
  }

  @Test
  void createsOfEqualPathsAreEqualWhateverArraysHoldThem() {
    byte[] data = b("d");
    assertEquals(new Txn.Create("/a", data, ACL, 0, 1), new Txn.Create(b("/a"), data, ACL, 0, 1));
    assertEquals(new Txn.Create("/a", data, ACL, 0, 1).hashCode(),
        new Txn.Create(b("/a"), data, ACL, 0, 1).hashCode());
    assertTrue(new Txn.Create("/a", data, ACL, 0, 1).toString().contains("path=/a"));
  }

  @Test
  void unknownTagsAndTruncatedInputAreRefused() {
    assertThrows(IOException.class, () -> TxnCodec.fromBytes(entryWith((byte) 0)));
    assertThrows(IOException.class, () -> TxnCodec.fromBytes(entryWith((byte) 10)));
    assertThrows(IOException.class, () -> TxnCodec.fromBytes(entryWith((byte) -1)));
    byte[] full = TxnCodec.toBytes(new TxnEntry(1, 2, 3, 4,
        new Txn.Create("/a", new byte[] {1, 2, 3}, Acl.OPEN_ACL_UNSAFE, 0, 1)));
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      assertThrows(EOFException.class, () -> TxnCodec.fromBytes(cut), "cut at " + len);
    }
  }

  /** Tag and count of a multi, repeated: each multi's single op is the next multi. */
  private static byte[] nestedMultis(int depth, int count) {
    ByteBuffer buf = ByteBuffer.allocate(5 * depth);
    for (int i = 0; i < depth; i++) {
      buf.put((byte) 9).putInt(count);
    }
    return buf.array();
  }

  @Test
  void reasonablyNestedMultisRoundTrip() throws IOException {
    Txn t = new Txn.Delete("/x");
    for (int i = 0; i < 8; i++) {
      t = new Txn.Multi(List.of(t));
    }
    Txn back = TxnCodec.fromBytes(TxnCodec.toBytes(new TxnEntry(1, 1, 1, 1, t))).txn();
    assertEquals(t, back);
  }

  @Test
  void absurdlyDeepNestingIsCorruptionNotAStackOverflow() {
    // Corrupt input must surface as an IOException, which readers treat as a damaged record;
    // a StackOverflowError would escape them.
    byte[] input = entryWith(nestedMultis(200_000, 1));
    assertThrows(IOException.class, () -> TxnCodec.fromBytes(input));
  }

  @Test
  void declaredCountsAreNotAllocatedBeforeTheElementsArrive() {
    // Twelve nested multis each claiming the largest allowed count, then the input ends: a
    // reader that sizes its lists from the claimed counts needs gigabytes before failing.
    byte[] input = entryWith(nestedMultis(12, TxnCodec.MAX_FIELD));
    assertThrows(EOFException.class, () -> TxnCodec.fromBytes(input));
    byte[] acl = entryWith(concat(ints(6, 1), new byte[] {'/'}, ints4(TxnCodec.MAX_FIELD)));
    assertThrows(EOFException.class, () -> TxnCodec.fromBytes(acl));
  }

  @Test
  void unknownErrorValuesReadAsSystemError() throws IOException {
    assertEquals(new Txn.Error(Code.SYSTEM_ERROR),
        TxnCodec.fromBytes(entryWith(ints(8, -9999))).txn());
  }

  @Test
  void writeAndReadAreSymmetricOnAStream() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    TxnEntry a = new TxnEntry(1, 2, 3, 4, new Txn.Delete("/x"));
    TxnEntry b = new TxnEntry(5, 6, 7, 8, new Txn.CloseSession());
    TxnCodec.writeEntry(data, a);
    TxnCodec.writeEntry(data, b);
    var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(out.toByteArray()));
    assertEquals(a, TxnCodec.readEntry(in));
    assertEquals(b, TxnCodec.readEntry(in));
    assertThrows(EOFException.class, () -> TxnCodec.readEntry(in));
  }

  private static byte[] ints4(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
