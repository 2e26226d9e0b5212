package lib.host;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's host name, as hostname(1) prints it: the node name's default and the telemetry payload's hostname. */
public final class HostName {
    private HostName() {}

    /**
     * Read from /proc first: InetAddress.getLocalHost() also resolves the name, which on a Pi whose name
     * is not in /etc/hosts waits for DNS or fails.
     */
    public static String kernel() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
                    .strip();
            if (!h.isEmpty()) return h;
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }
}
