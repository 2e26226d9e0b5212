package lib.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Durable whole-file writes: the bytes go to a temporary file in the same directory, are fsync'd,
 * the file is renamed over the target (atomic on POSIX file systems), and the directory is fsync'd so
 * the rename itself survives a power cut. A reader sees the old content or the new, never a mix.
 */
public final class AtomicFile {
    /** Temporary files start with this; a crash can leave them behind and they are safe to delete. */
    public static final String TMP_PREFIX = ".tmp-";

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> SHARED = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFile() {}

    /** Writes {@code data} to {@code target}, readable by the owner only. */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, false);
    }

    /** {@code worldReadable}: 0644 (a Prometheus textfile), else 0600 (spool, state). */
    public static void write(Path target, byte[] data, boolean worldReadable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp =
                dir.resolve(TMP_PREFIX + target.getFileName() + "-" + KernelFiles.selfPid() + "-" + System.nanoTime());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                setMode(tmp, worldReadable ? SHARED : PRIVATE);
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename atomically into " + dir + ": " + e.getMessage(), e);
            }
            syncDirectory(dir);
        } finally {
            // only when the rename did not happen: deleting a file that is gone costs an exception inside the
            // JDK (a daemon writes twice a sample)
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /** fsync a directory so that creations, renames and deletions in it are durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open or sync a directory; the rename is still atomic there
            if (!(e instanceof java.nio.file.AccessDeniedException)) {
                String m = String.valueOf(e.getMessage());
                if (!m.contains("Is a directory") && !m.contains("Invalid argument")) throw e;
            }
        }
    }

    private static void setMode(Path p, Set<PosixFilePermission> perms) {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: nothing to set
        }
    }
}
