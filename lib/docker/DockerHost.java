package lib.docker;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import lib.cli.N0d3Exception;

/** Where the Engine API listens: DOCKER_HOST (unix:// or tcp://), else /var/run/docker.sock. */
public record DockerHost(String display, SocketAddress address, StandardProtocolFamily family) {
    public static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    public static DockerHost fromEnv(Map<String, String> env) {
        String h = env.get("DOCKER_HOST");
        return parse(h == null || h.isBlank() ? "unix://" + DEFAULT_SOCKET : h.strip());
    }

    public static DockerHost unix(Path socket) {
        return new DockerHost("unix://" + socket, UnixDomainSocketAddress.of(socket), StandardProtocolFamily.UNIX);
    }

    public static DockerHost parse(String h) {
        if (h.startsWith("unix://")) {
            String p = h.substring("unix://".length());
            if (p.isEmpty()) throw N0d3Exception.usage("DOCKER_HOST: '" + h + "' has no socket path");
            return unix(Path.of(p));
        }
        if (h.startsWith("tcp://")) {
            URI u;
            try {
                u = new URI(h);
            } catch (java.net.URISyntaxException e) {
                u = null;
            }
            if (u == null || u.getHost() == null)
                throw N0d3Exception.usage("DOCKER_HOST: '" + h + "' has no host (expected tcp://host:port)");
            int port = u.getPort() < 0 ? 2375 : u.getPort();
            return new DockerHost(h, new InetSocketAddress(u.getHost(), port), StandardProtocolFamily.INET);
        }
        throw N0d3Exception.usage(
                "DOCKER_HOST: expected unix:///path/to/docker.sock or tcp://host:port, got '" + h + "'");
    }

    /** The Host header value for HTTP/1.1 requests. */
    String hostHeader() {
        return address instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : "docker";
    }
}
