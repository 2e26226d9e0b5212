package lib.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What listens in one network namespace, read the way ss(8) does but without it: the kernel's socket
 * tables {@code NET/tcp}, {@code tcp6}, {@code udp}, {@code udp6} (NET is {@code /proc/net}, the reading
 * process's own namespace, or {@code /proc/PID/net} for another process's), mapped to their processes by
 * the {@code socket:[INODE]} links under {@code /proc/PID/fd}. Listening means TCP state LISTEN (0A) and,
 * for UDP, a socket bound to a local port with no peer (state 07). A socket no process holds (the kernel's
 * VXLAN socket on 4789, or a process of another PID namespace) has pid -1. Reading other processes'
 * descriptors needs root; without it their sockets show pid -1 too.
 */
public final class ListeningSockets {
    private ListeningSockets() {}

    /**
     * One listening socket.
     *
     * @param proto   tcp or udp
     * @param address the local address (0.0.0.0 or :: for every address)
     * @param pid     the process holding it, -1 when none was found
     * @param program that process's name (/proc/PID/comm), "" when none
     * @param cmdline its command line, empty when none
     */
    public record Socket(
            String proto, InetAddress address, int port, long inode, int pid, String program, List<String> cmdline) {
        /** Bound to every address (0.0.0.0, or :: which also takes IPv4 unless the socket is v6-only). */
        public boolean wildcard() {
            return address.isAnyLocalAddress();
        }

        public boolean loopback() {
            return address.isLoopbackAddress();
        }

        /** "tcp 0.0.0.0:2375", "udp [::1]:53". */
        public String where() {
            return proto + " " + show(address) + ":" + port;
        }

        /** "dockerd (pid 812)", or "no process" for a kernel socket. */
        public String owner() {
            return pid < 0 ? "no process" : program + " (pid " + pid + ")";
        }
    }

    /** An address as people write it: 10.0.0.1, [::], [::1], [fd7a:115c:a1e0::1] (the longest run of zero groups as ::). */
    public static String show(InetAddress address) {
        if (address.getAddress().length == 4) return address.getHostAddress();
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) sb.append(':');
        }
        return sb.append(']').toString();
    }

    /** The listening sockets of the namespace whose tables are under {@code net}; processes from {@code proc}. */
    public static List<Socket> read(Path proc, Path net) {
        List<Socket> raw = new ArrayList<>();
        for (String t : List.of("tcp", "tcp6", "udp", "udp6")) {
            String text = readOrNull(net.resolve(t));
            if (text != null) raw.addAll(parse(t.startsWith("tcp") ? "tcp" : "udp", text));
        }
        if (raw.isEmpty()) return raw;
        Map<Long, Integer> owners = owners(proc);
        List<Socket> out = new ArrayList<>();
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, List<String>> cmds = new HashMap<>();
        for (Socket s : raw) {
            Integer pid = owners.get(s.inode());
            if (pid == null || s.inode() == 0) {
                out.add(s);
                continue;
            }
            String name = names.computeIfAbsent(
                    pid,
                    p -> Optional.ofNullable(readOrNull(proc.resolve(p + "/comm")))
                            .orElse("")
                            .strip());
            List<String> cmd = cmds.computeIfAbsent(pid, p -> cmdline(proc, p));
            out.add(new Socket(s.proto(), s.address(), s.port(), s.inode(), pid, name, cmd));
        }
        return out;
    }

    /** The listening sockets of this process's own network namespace. */
    public static List<Socket> system() {
        return read(Path.of("/proc"), Path.of("/proc/net"));
    }

    /** A process's command line (NUL-separated in /proc/PID/cmdline), empty when it is gone. */
    public static List<String> cmdline(Path proc, int pid) {
        String c = readOrNull(proc.resolve(pid + "/cmdline"));
        if (c == null || c.isEmpty()) return List.of();
        return List.of(c.split("\0"));
    }

    /** Parses one socket table; keeps the listening entries. */
    static List<Socket> parse(String proto, String text) {
        List<Socket> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].strip().split("\\s+");
            if (f.length < 10) continue;
            String st = f[3];
            boolean listening = proto.equals("tcp") ? st.equals("0A") : st.equals("07") && f[2].endsWith(":0000");
            if (!listening) continue;
            int colon = f[1].indexOf(':');
            try {
                InetAddress a = address(f[1].substring(0, colon));
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                out.add(new Socket(proto, a, port, Long.parseLong(f[9]), -1, "", List.of()));
            } catch (RuntimeException | UnknownHostException e) {
                // a line the kernel did not write: skip it
            }
        }
        return out;
    }

    /** The kernel writes each 32-bit word of the address in host byte order (little-endian on x86 and ARM). */
    static InetAddress address(String hex) throws UnknownHostException {
        byte[] b = new byte[hex.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            for (int k = 0; k < 4; k++) {
                b[w * 4 + k] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - k) * 2, w * 8 + (3 - k) * 2 + 2), 16);
            }
        }
        return InetAddress.getByAddress(b);
    }

    /** Socket inode to the pid holding it (the lowest pid when several share it, e.g. after fork). */
    static Map<Long, Integer> owners(Path proc) {
        Map<Long, Integer> out = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(
                proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : pids) {
                int pid = Integer.parseInt(p.getFileName().toString());
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
                    for (Path fd : fds) {
                        String link;
                        try {
                            link = Files.readSymbolicLink(fd).toString();
                        } catch (IOException | UnsupportedOperationException e) {
                            continue;
                        }
                        if (link.startsWith("socket:[") && link.endsWith("]")) {
                            long inode = Long.parseLong(link.substring(8, link.length() - 1));
                            out.merge(inode, pid, Math::min);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return out;
    }

    private static String readOrNull(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
