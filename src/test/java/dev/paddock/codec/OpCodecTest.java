package dev.paddock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Code;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Corrupt input must fail with IOException, quickly and without large allocations. */
class OpCodecTest {
  private static final byte MULTI = 6;
  private static final byte SET_WATCHES = 21;
  private static final byte SET_DATA = 3;
  private static final byte R_MULTI = 11;

  @Test
  void hugeOrNegativeCountsAreRejected() {
    for (int count : new int[] {Integer.MAX_VALUE, -2, Integer.MIN_VALUE}) {
      assertThrows(IOException.class, () -> readOp(out -> {
        out.writeByte(MULTI);
        out.writeInt(count);
      }), "count " + count);
    }
  }

  @Test
  void countsLargerThanTheInputRunIntoEndOfInput() {
    // Below the hard bound, so only end of input stops it: the list must not be pre-sized.
    assertThrows(IOException.class, () -> readOp(out -> {
      out.writeByte(SET_WATCHES);
      out.writeLong(1);
      out.writeInt(60_000_000);
    }));
    assertThrows(IOException.class, () -> readResult(out -> {
      out.writeByte(R_MULTI);
      out.writeInt(Code.OK.value());
      out.writeInt(60_000_000);
    }));
  }

  @Test
  void corruptLengthsAreRejected() {
    for (int len : new int[] {Integer.MAX_VALUE, -7}) {
      assertThrows(IOException.class, () -> readOp(out -> {
        out.writeByte(SET_DATA);
        out.writeInt(len);
      }), "length " + len);
    }
  }

  @Test
  void unknownTagsAndEnumsAreRejected() {
    assertThrows(IOException.class, () -> readOp(out -> out.writeByte(99)));
    assertThrows(IOException.class, () -> readResult(out -> out.writeByte(0)));
    assertThrows(IOException.class, () -> readOp(out -> {
      out.writeByte(1);
      out.writeInt(2);
      out.write("/a".getBytes());
      out.writeInt(-1);
      out.writeInt(-1);
      out.writeInt(77);
      out.writeLong(-1);
    }));
  }

  @Test
  void aMultiMayOnlyHoldWrites() {
    assertThrows(IOException.class, () -> readOp(out -> {
      out.writeByte(MULTI);
      out.writeInt(1);
      OpCodec.writeOp(out, new Op.GetData("/a", false));
    }));
  }

  @Test
  void nestingIsBounded() throws IOException {
    Op.Write deep = new Op.Check("/a", 1);
    for (int i = 0; i < OpCodec.MAX_DEPTH; i++) {
      deep = new Op.Multi(List.of(deep));
    }
    Op.Write ok = deep;
    assertEquals(ok, readOp(out -> OpCodec.writeOp(out, ok)));
    Op.Multi tooDeep = new Op.Multi(List.of(deep));
    assertThrows(IllegalArgumentException.class, () -> write(out -> OpCodec.writeOp(out, tooDeep)));
    // A hand-made stream nesting far deeper must fail cleanly, not overflow the stack.
    IOException e = assertThrows(IOException.class, () -> readOp(out -> {
      for (int i = 0; i < 100_000; i++) {
        out.writeByte(MULTI);
        out.writeInt(1);
      }
    }));
    assertTrue(e.getMessage().contains("nested"), e.getMessage());
  }

  @Test
  void unknownResultCodesDegradeToSystemError() throws IOException {
    Result r = readResult(out -> {
      out.writeByte(1);
      out.writeInt(-9999);
    });
    assertEquals(Code.SYSTEM_ERROR, r.code());
  }

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Writer w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    }
    return bytes.toByteArray();
  }

  private static Op readOp(Writer w) throws IOException {
    return OpCodec.readOp(new DataInputStream(new ByteArrayInputStream(write(w))));
  }

  private static Result readResult(Writer w) throws IOException {
    return OpCodec.readResult(new DataInputStream(new ByteArrayInputStream(write(w))));
  }
}
