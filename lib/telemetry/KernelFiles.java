package lib.telemetry;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Cheap reads of the kernel's small text files (/proc, cgroupfs) for the container stats: one
 * {@link FileInputStream} per file into one reused buffer, numbers parsed from the bytes (why so plain:
 * docs/decisions/cgroup-reading.md). Not thread-safe: one collect reads on one thread. Every path is absolute
 * as the kernel names it ({@code /proc/42/cgroup}); {@code root} is prefixed to it: empty on a real host, a
 * directory laid out like / in the tests' fixtures.
 */
public final class KernelFiles {
    private final String root;
    private byte[] buf = new byte[8192];
    private int len;

    public KernelFiles(String root) {
        this.root = root == null || root.equals("/")
                ? ""
                : root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** The real host. */
    public static KernelFiles host() {
        return new KernelFiles("");
    }

    public String root() {
        return root;
    }

    /** Reads the file into the buffer; false when it does not exist or cannot be read. */
    public boolean load(String path) {
        len = 0;
        try (FileInputStream in = new FileInputStream(root + path)) {
            while (true) {
                if (len == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) return true;
                len += n;
            }
        } catch (IOException e) {
            len = 0;
            return false;
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

    byte at(int i) {
        return buf[i];
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
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
