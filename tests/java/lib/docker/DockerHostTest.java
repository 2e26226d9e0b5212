package lib.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerHostTest {
    @Test
    void defaultIsTheStandardSocket() {
        for (Map<String, String> env : new Map[] {Map.of(), Map.of("DOCKER_HOST", ""), Map.of("DOCKER_HOST", "  ")}) {
            DockerHost h = DockerHost.fromEnv(env);
            assertEquals("unix:///var/run/docker.sock", h.display());
            assertEquals(UnixDomainSocketAddress.of("/var/run/docker.sock"), h.address());
            assertEquals(StandardProtocolFamily.UNIX, h.family());
            assertEquals("docker", h.hostHeader());
        }
    }

    @Test
    void unixSocketFromDockerHost() {
        DockerHost h = DockerHost.fromEnv(Map.of("DOCKER_HOST", "unix:///tmp/n0d3-lab-7/node1/docker.sock"));
        assertEquals(UnixDomainSocketAddress.of(Path.of("/tmp/n0d3-lab-7/node1/docker.sock")), h.address());
    }

    @ParameterizedTest
    @CsvSource({
        "tcp://127.0.0.1:2375,127.0.0.1,2375",
        "tcp://10.213.1.11,10.213.1.11,2375",
        "tcp://localhost:12375/,localhost,12375"
    })
    void tcpHosts(String env, String host, int port) {
        DockerHost h = DockerHost.fromEnv(Map.of("DOCKER_HOST", env));
        assertEquals(StandardProtocolFamily.INET, h.family());
        InetSocketAddress a = (InetSocketAddress) h.address();
        assertEquals(host, a.getHostString());
        assertEquals(port, a.getPort());
        assertEquals(host + ":" + port, h.hostHeader());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        ssh://pi@edge-1        | DOCKER_HOST: expected unix:///path/to/docker.sock or tcp://host:port, got 'ssh://pi@edge-1'
        /var/run/docker.sock   | DOCKER_HOST: expected unix:///path/to/docker.sock or tcp://host:port, got '/var/run/docker.sock'
        unix://                | DOCKER_HOST: 'unix://' has no socket path
        tcp://                 | DOCKER_HOST: 'tcp://' has no host (expected tcp://host:port)
        tcp://a b:2375         | DOCKER_HOST: 'tcp://a b:2375' has no host (expected tcp://host:port)
        """)
    void badDockerHostIsAUsageError(String value, String message) {
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> DockerHost.fromEnv(Map.of("DOCKER_HOST", value)));
        assertEquals(2, e.exitCode());
        assertEquals(message, e.getMessage());
    }
}
