package lib.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Serialises runs that share a state dir (a timer firing during a slow run, a daemon and a timer):
 * an exclusive {@code fcntl} lock on {@code STATE_DIR/lock}, released by the kernel when the holder
 * exits, even by {@code kill -9}. The holder's pid is written into the file for the message of the
 * run that finds it taken.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "lock";
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another process holds it. */
    public static RunLock tryAcquire(Path stateDir) throws IOException {
        FileChannel ch = FileChannel.open(
                stateDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            return null;
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((KernelFiles.selfPid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new RunLock(ch, l);
    }

    /** The pid written by the current holder, or "?" when unknown. */
    public static String holder(Path stateDir) {
        try {
            String s = Files.readString(stateDir.resolve(FILE), StandardCharsets.US_ASCII)
                    .strip();
            return s.isEmpty() ? "?" : s;
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
