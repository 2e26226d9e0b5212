package lib.swarm;

import java.util.Locale;
import lib.cli.N0d3Exception;

/**
 * A swarm manager's address as the operator writes it: {@code host}, {@code host:port},
 * {@code [v6]:port} or a bare IPv6 literal; the port defaults to 2377 (swarm cluster management).
 * Host names are kept as given and resolved when probed.
 */
public record ManagerAddress(String host, int port) {
    public static final int DEFAULT_PORT = 2377;

    public ManagerAddress {
        host = host.toLowerCase(Locale.ROOT);
    }

    /** Parses one address; {@code from} names the flag, variable or config field for the error. */
    public static ManagerAddress parse(String text, String from) {
        String s = text == null ? "" : text.strip();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) throw bad(text, from);
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw bad(text, from);
                port = rest.substring(1);
            }
            if (!host.contains(":")) throw bad(text, from);
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            host = s; // a bare IPv6 literal
            if (!host.matches("[0-9a-fA-F:.]+")) throw bad(text, from);
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) port = s.substring(colon + 1);
            if (!host.matches("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?")) throw bad(text, from);
        }
        if (host.isEmpty()) throw bad(text, from);
        int p = DEFAULT_PORT;
        if (port != null) {
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)
                throw bad(text, from);
            p = Integer.parseInt(port);
        }
        return new ManagerAddress(host, p);
    }

    private static N0d3Exception bad(String text, String from) {
        return N0d3Exception.usage(
                from + ": expected a manager address host, host:port or [ipv6]:port, got '" + text + "'");
    }

    public boolean ipv6() {
        return host.contains(":");
    }

    /** host:port, brackets around IPv6: the form the Engine API's RemoteAddrs takes. */
    @Override
    public String toString() {
        return (ipv6() ? "[" + host + "]" : host) + ":" + port;
    }
}
