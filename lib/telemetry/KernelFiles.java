package lib.telemetry;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Cheap reads of the kernel's small text files (/proc, cgroupfs) for the container stats: one
 * {@link FileInputStream} per file, or files kept open ({@link #keepOpen}), into one reused buffer, numbers parsed
 * from the bytes (why so plain: docs/decisions/cgroup-reading.md). Not thread-safe: one collect reads on one thread. Every path is absolute
 * as the kernel names it ({@code /proc/42/cgroup}); {@code root} is prefixed to it: empty on a real host, a
 * directory laid out like / in the tests' fixtures.
 */
public final class KernelFiles {
    /** Files kept open at the most ({@link #keepOpen}); past it, files are opened and closed as without it. */
    static final int MAX_KEPT = 512;

    private final String root;
    private byte[] buf = new byte[8192];
    private ByteBuffer view = ByteBuffer.wrap(buf);
    private int len;

    /** With {@link #keepOpen}: the files read so far, by path; null: every read opens and closes its file. */
    private Map<String, Kept> kept;

    /** A file kept open, and whether it was read since the last {@link #closeUnread}. */
    private static final class Kept {
        final FileChannel channel;
        boolean read = true;

        Kept(FileChannel channel) {
            this.channel = channel;
        }
    }

    public KernelFiles(String root) {
        this.root = root == null || root.equals("/")
                ? ""
                : root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /**
     * This process's id, from /proc/self/stat; {@code ProcessHandle.current().pid()} where that cannot be read
     * (ProcessHandle's class initialisation sets up a reaper thread factory: two lambdas to link on a timer run).
     */
    public static long selfPid() {
        KernelFiles f = host();
        if (f.load("/proc/self/stat")) {
            Long pid = f.parse(0);
            if (pid != null && pid > 0) return pid;
        }
        return ProcessHandle.current().pid();
    }

    /** The real host. */
    public static KernelFiles host() {
        return new KernelFiles("");
    }

    public String root() {
        return root;
    }

    /**
     * For a long-lived reader (the daemon): keep each file open after its first read and read it again from offset
     * 0, one pread instead of open, fstat, two reads and close (the kernel renders a /proc, sysfs or cgroup file anew
     * at offset 0). Files under /proc/PID/ are still opened each time: a kept /proc/PID/net/dev holds its network
     * namespace, and would go on reading it after the PID is someone else's. A kept file that fails (its cgroup
     * removed: ENODEV) is opened anew once. {@link #closeUnread} closes the files of containers that went.
     */
    public KernelFiles keepOpen() {
        if (kept == null) kept = new HashMap<>();
        return this;
    }

    /** With {@link #keepOpen}: closes every kept file not read since the previous call. */
    public void closeUnread() {
        if (kept == null) return;
        for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
            Kept k = it.next();
            if (k.read) {
                k.read = false;
            } else {
                close(k.channel);
                it.remove();
            }
        }
    }

    /** How many files are kept open now. */
    public int keptOpen() {
        return kept == null ? 0 : kept.size();
    }

    /** Reads the file into the buffer; false when it does not exist or cannot be read. */
    public boolean load(String path) {
        if (kept == null || isProcessFile(path)) return loadOnce(path);
        Kept k = kept.get(path);
        if (k != null) {
            k.read = true;
            if (pread(k.channel)) return true;
            close(k.channel); // removed or unreadable now: opened anew below
            kept.remove(path);
        }
        if (kept.size() >= MAX_KEPT) return loadOnce(path);
        FileChannel ch;
        try {
            ch = FileChannel.open(Path.of(root + path));
        } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
            len = 0;
            return false;
        }
        if (!pread(ch)) {
            close(ch);
            return false;
        }
        kept.put(path, new Kept(ch));
        return true;
    }

    private boolean loadOnce(String path) {
        len = 0;
        try (FileInputStream in = new FileInputStream(root + path)) {
            while (true) {
                grow();
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) return true;
                len += n;
            }
        } catch (IOException e) {
            len = 0;
            return false;
        }
    }

    /**
     * The whole file from offset 0, to a read that gives nothing: a short read is not the end (a seq_file gives at
     * most a page a read).
     */
    private boolean pread(FileChannel ch) {
        len = 0;
        try {
            while (true) {
                grow();
                view.limit(buf.length).position(len);
                int n = ch.read(view, len);
                if (n < 0) return true;
                len += n;
            }
        } catch (IOException e) {
            len = 0;
            return false;
        }
    }

    private void grow() {
        if (len < buf.length) return;
        buf = Arrays.copyOf(buf, buf.length * 2);
        view = ByteBuffer.wrap(buf);
    }

    /** /proc/PID/...: a process's file, never kept open. */
    private static boolean isProcessFile(String path) {
        return path.startsWith("/proc/") && path.length() > 6 && Character.isDigit(path.charAt(6));
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // a read-only file of the kernel: nothing was written, nothing is lost
        }
    }

    /** The whole file as text, or null. */
    public String text(String path) {
        return load(path) ? new String(buf, 0, len, StandardCharsets.ISO_8859_1) : null;
    }

    /** The first number of the file ("123\n"), or null when absent or not a number ("max"). */
    public Long number(String path) {
        if (!load(path)) return null;
        return parse(0);
    }

    /**
     * The value of {@code key} in a flat-keyed file ("key value" lines: memory.stat, cpu.stat,
     * cpuacct.stat), or null when the file or the key is missing.
     */
    public Long keyed(String path, String key) {
        if (!load(path)) return null;
        return keyedInBuffer(key);
    }

    /** {@link #keyed} on the file last {@link #load loaded}. */
    Long keyedInBuffer(String key) {
        int k = key.length();
        int i = 0;
        while (i < len) {
            int eol = eol(i);
            if (eol - i > k && buf[i + k] == ' ' && startsWith(i, key)) return parse(i + k + 1);
            i = eol + 1;
        }
        return null;
    }

    int length() {
        return len;
    }

    /**
     * Index of the first {@code b} in [{@code from}, {@code to}), or {@code to}. A loop here, not a call a byte: a
     * timer run's parsing is interpreted, where a call costs more than the comparison.
     */
    int indexOf(byte b, int from, int to) {
        int i = from;
        int end = Math.min(to, len);
        while (i < end && buf[i] != b) i++;
        return i < end ? i : to;
    }

    /** Index of the last {@code b} in the file, or -1. */
    int lastIndexOf(byte b) {
        int i = len - 1;
        while (i >= 0 && buf[i] != b) i--;
        return i;
    }

    /** Index of the end of the line starting at {@code from} (the newline, or the length). */
    int eol(int from) {
        int i = from;
        while (i < len && buf[i] != '\n') i++;
        return i;
    }

    boolean startsWith(int at, String s) {
        if (at + s.length() > len) return false;
        for (int j = 0; j < s.length(); j++) {
            if (buf[at + j] != s.charAt(j)) return false;
        }
        return true;
    }

    /** The unsigned decimal at {@code from} (leading blanks skipped), or null when there is none. */
    Long parse(int from) {
        int i = from;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t')) i++;
        long v = 0;
        int start = i;
        while (i < len && buf[i] >= '0' && buf[i] <= '9') {
            v = v > (Long.MAX_VALUE - 9) / 10
                    ? Long.MAX_VALUE
                    : v * 10 + (buf[i] - '0'); // saturates: u64 counters past 2^63
            i++;
        }
        return i == start ? null : v;
    }

    /** Index just past the run of non-blank characters at {@code from}. */
    int word(int from) {
        int i = from;
        while (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n') i++;
        return i;
    }

    /** Index of the first non-blank character at or after {@code from} on the same line. */
    int skipBlanks(int from) {
        int i = from;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t')) i++;
        return i;
    }

    String string(int from, int to) {
        return string(from, to, StandardCharsets.ISO_8859_1);
    }

    String string(int from, int to, java.nio.charset.Charset charset) {
        return new String(buf, from, to - from, charset);
    }
}
