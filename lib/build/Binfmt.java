package lib.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import lib.host.Arch;

/**
 * Reads the kernel's binfmt_misc handlers (normally /proc/sys/fs/binfmt_misc) to tell whether binaries of a
 * foreign architecture can run, the way QEMU user emulation makes them run in containers. A handler is
 * found by what it matches (the ELF header of that architecture), not by its name, so entries registered
 * by qemu-user-static, tonistiigi/binfmt or systemd-binfmt are all recognised. For containers the handler
 * needs the F (fix binary) flag: the kernel then opens the interpreter at registration, and an image that
 * has no QEMU inside (FROM scratch) can still run.
 */
public final class Binfmt {
    public static final Path DEFAULT_DIR = Path.of("/proc/sys/fs/binfmt_misc");

    public enum State {
        OK,
        NOT_MOUNTED,
        DISABLED_GLOBALLY,
        MISSING,
        DISABLED,
        NO_FIX_BINARY
    }

    /** One handler file: {@code enabled|disabled}, interpreter, flags, offset, magic, mask. */
    public record Entry(
            String name, boolean enabled, String interpreter, String flags, int offset, byte[] magic, byte[] mask) {
        boolean fixBinary() {
            return flags.contains("F");
        }

        boolean matches(byte[] header) {
            if (magic == null || offset + magic.length > header.length) return false;
            for (int i = 0; i < magic.length; i++) {
                int m = mask == null ? 0xff : mask[i] & 0xff;
                if ((header[offset + i] & m) != (magic[i] & m)) return false;
            }
            return true;
        }
    }

    /** The outcome for one architecture: the state and the handler found (null when none). */
    public record Check(Arch arch, State state, Entry entry) {
        public boolean ok() {
            return state == State.OK;
        }
    }

    private final Path dir;

    public Binfmt(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** binfmt_misc is mounted there when its control files exist. */
    public boolean mounted() {
        return Files.exists(dir.resolve("register")) && Files.exists(dir.resolve("status"));
    }

    /** The Debian / qemu-user-static name of the handler for an architecture (also the binfmt.d file name). */
    public static String qemuName(Arch a) {
        return switch (a) {
            case AMD64 -> "qemu-x86_64";
            case ARM64 -> "qemu-aarch64";
            case ARMV7 -> "qemu-arm";
        };
    }

    /** The start of an ELF executable of this architecture: what a handler's magic and mask must match. */
    static byte[] elfHeader(Arch a) {
        byte[] h = new byte[20];
        h[0] = 0x7f;
        h[1] = 'E';
        h[2] = 'L';
        h[3] = 'F';
        h[4] = (byte) (a == Arch.ARMV7 ? 1 : 2); // ELFCLASS32 / ELFCLASS64
        h[5] = 1; // little endian
        h[6] = 1; // EV_CURRENT
        h[16] = 2; // ET_EXEC
        int machine = switch (a) {
            case AMD64 -> 0x3e;
            case ARM64 -> 0xb7;
            case ARMV7 -> 0x28;
        };
        h[18] = (byte) machine;
        return h;
    }

    public Check check(Arch a) {
        if (!mounted()) return new Check(a, State.NOT_MOUNTED, null);
        if (!read(dir.resolve("status")).strip().equals("enabled")) return new Check(a, State.DISABLED_GLOBALLY, null);
        byte[] header = elfHeader(a);
        Entry best = null;
        for (Entry e : entries()) {
            if (!e.matches(header)) continue;
            if (e.enabled() && e.fixBinary()) return new Check(a, State.OK, e);
            if (best == null || e.enabled()) best = e;
        }
        if (best == null) return new Check(a, State.MISSING, null);
        return new Check(a, best.enabled() ? State.NO_FIX_BINARY : State.DISABLED, best);
    }

    /** Every handler registered (unreadable or extension-based ones are skipped). */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.equals("register") || n.equals("status") || !Files.isRegularFile(f)) continue;
                Entry e = parse(n, read(f));
                if (e != null) out.add(e);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Parses the kernel's text for one handler; null when it is not a magic-based handler. */
    static Entry parse(String name, String text) {
        boolean enabled = false;
        String interpreter = "";
        String flags = "";
        int offset = 0;
        byte[] magic = null;
        byte[] mask = null;
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.equals("enabled")) enabled = true;
            else if (l.startsWith("interpreter ")) interpreter = l.substring(12).strip();
            else if (l.startsWith("flags:")) flags = l.substring(6).strip();
            else if (l.startsWith("offset "))
                offset = Integer.parseInt(l.substring(7).strip());
            else if (l.startsWith("magic ")) magic = hex(l.substring(6).strip());
            else if (l.startsWith("mask ")) mask = hex(l.substring(5).strip());
        }
        if (magic == null) return null;
        if (mask != null && mask.length != magic.length) mask = null;
        return new Entry(name, enabled, interpreter, flags, offset, magic, mask);
    }

    private static byte[] hex(String s) {
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The operator-facing explanation of a failed check, naming --setup-qemu. */
    public String problem(Check c) {
        String platform = c.arch().platform();
        String what = platform + " is not this host's architecture and needs QEMU user emulation, but ";
        String fix = ": run again with --setup-qemu (as root; it registers " + qemuName(c.arch())
                + " from /usr/lib/binfmt.d, shipped by the qemu-user-static package)";
        return switch (c.state()) {
            case OK ->
                platform + ": emulated by " + c.entry().name() + " ("
                        + c.entry().interpreter() + ", flags " + c.entry().flags() + ")";
            case NOT_MOUNTED -> what + "binfmt_misc is not mounted at " + dir + fix;
            case DISABLED_GLOBALLY ->
                what + "binfmt_misc is disabled (" + dir.resolve("status") + " is not 'enabled')" + fix;
            case MISSING -> what + "no binfmt_misc handler for its binaries is registered in " + dir + fix;
            case DISABLED -> what + "its binfmt_misc handler " + c.entry().name() + " is disabled" + fix;
            case NO_FIX_BINARY ->
                what + "its binfmt_misc handler " + c.entry().name() + " lacks the F (fix binary) flag, so containers"
                        + " cannot find " + c.entry().interpreter() + fix;
        };
    }
}
