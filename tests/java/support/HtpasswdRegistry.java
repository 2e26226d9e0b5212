package support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A real docker-registry (distribution 2.8, from the lab's packages) on a free loopback port that demands
 * credentials: one htpasswd user, bcrypt as distribution requires. Started and waited for until /v2/ answers
 * 401; {@link #close()} stops it.
 */
public final class HtpasswdRegistry implements AutoCloseable {
    private final Process process;
    private final String address;

    private HtpasswdRegistry(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    public static HtpasswdRegistry start(Path dir, String user, String password)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("htpasswd"), user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(6)) + "\n");
        Files.writeString(
                dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                auth:
                  htpasswd:
                    realm: n0d3-lab
                    path: %s
                """.formatted(dir.resolve("data"), address, dir.resolve("htpasswd")));
        Process p = new ProcessBuilder(
                        "docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile())
                .start();
        HtpasswdRegistry r = new HtpasswdRegistry(p, address);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (r.ping() != 401) {
            if (!p.isAlive() || System.nanoTime() > end) {
                r.close();
                throw new AssertionError(
                        "registry did not come up on " + address + ": " + Files.readString(dir.resolve("log")));
            }
            Thread.sleep(100);
        }
        return r;
    }

    /** host:port */
    public String address() {
        return address;
    }

    /** The status of GET /v2/ without credentials (401 once up), -1 when nothing answers. */
    int ping() {
        try {
            HttpURLConnection c = (HttpURLConnection)
                    URI.create("http://" + address + "/v2/").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
