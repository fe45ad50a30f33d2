package dev.paddock.backup;

import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * A backup: one committed tree with its zxid and digest, as the admin server streams it and
 * {@code restore} reads it (big-endian):
 *
 * <pre>
 * int magic "PDKB", int version, long zxid, long digest, int nodeCount, long createdMillis
 * tree (TreeSnapshotCodec)
 * trailer: long contentLength, int crc32c(content), int magic "ENDB"
 * </pre>
 *
 * The trailer comes last because the writer streams the tree without knowing its length; a
 * backup cut short has no valid trailer and is refused.
 */
public final class BackupFile {
  static final int MAGIC = 0x50444B42;
  static final int VERSION = 1;
  static final int TRAILER_MAGIC = 0x454E4442;

  /** What a backup holds; {@code tree} is null when only the header was read. */
  public record Backup(long zxid, long digest, int nodeCount, long createdMillis,
      TreeSnapshot tree) {}

  private BackupFile() {}

  /** Writes a backup of {@code tree}; does not close {@code out}. */
  public static void write(TreeSnapshot tree, OutputStream out) throws IOException {
    long digest = DataTree.fromSnapshot(tree).digest();
    Counting counted = new Counting(out);
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(counted, 1 << 16));
    data.writeInt(MAGIC);
    data.writeInt(VERSION);
    data.writeLong(tree.zxid());
    data.writeLong(digest);
    data.writeInt(tree.nodeCount());
    data.writeLong(System.currentTimeMillis());
    TreeSnapshotCodec.write(tree, data);
    data.flush();
    DataOutputStream trailer = new DataOutputStream(out);
    trailer.writeLong(counted.count);
    trailer.writeInt((int) counted.crc.getValue());
    trailer.writeInt(TRAILER_MAGIC);
    trailer.flush();
  }

  /**
   * Reads and checks a whole backup: format, checksum, and that the tree's digest is the one
   * recorded when it was taken. Any mismatch is an {@link IOException} saying what is wrong.
   */
  public static Backup read(InputStream in) throws IOException {
    Checked checked = new Checked(new BufferedInputStream(in, 1 << 16));
    DataInputStream data = new DataInputStream(checked);
    try {
      if (data.readInt() != MAGIC) {
        throw new IOException("not a Paddock backup (bad magic number)");
      }
      int version = data.readInt();
      if (version != VERSION) {
        throw new IOException("unsupported backup format version " + version);
      }
      long zxid = data.readLong();
      long digest = data.readLong();
      int nodes = data.readInt();
      long created = data.readLong();
      TreeSnapshot tree = TreeSnapshotCodec.read(data);
      long length = checked.count;
      int crc = (int) checked.crc.getValue();
      DataInputStream trailer = new DataInputStream(checked.in);
      if (trailer.readLong() != length || trailer.readInt() != crc
          || trailer.readInt() != TRAILER_MAGIC) {
        throw new IOException("checksum mismatch: the backup is damaged");
      }
      if (trailer.read() != -1) {
        throw new IOException("unexpected bytes after the end of the backup");
      }
      if (tree.zxid() != zxid || tree.nodeCount() != nodes) {
        throw new IOException("header says zxid 0x" + Long.toHexString(zxid) + " with " + nodes
            + " nodes, the tree holds 0x" + Long.toHexString(tree.zxid()) + " with "
            + tree.nodeCount());
      }
      long actual = DataTree.fromSnapshot(tree).digest();
      if (actual != digest) {
        throw new IOException("tree digest " + actual + " differs from the recorded " + digest);
      }
      return new Backup(zxid, digest, nodes, created, tree);
    } catch (EOFException e) {
      throw new IOException("the backup ends early (incomplete download?)", e);
    } catch (RuntimeException e) {
      throw new IOException("the backup cannot be decoded: " + e, e);
    }
  }

  private static final class Counting extends FilterOutputStream {
    final CRC32C crc = new CRC32C();
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      count += len;
    }
  }

  private static final class Checked extends FilterInputStream {
    final CRC32C crc = new CRC32C();
    final InputStream in;
    long count;

    Checked(InputStream in) {
      super(in);
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        crc.update(b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        crc.update(b, off, n);
        count += n;
      }
      return n;
    }
  }
}
