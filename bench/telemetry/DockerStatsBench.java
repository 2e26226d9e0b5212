import java.util.Arrays;
import java.util.Map;
import lib.docker.DockerClient;
import lib.telemetry.DockerCollector;
import lib.telemetry.TelemetryState;

/**
 * bench/telemetry (b): the cost of DockerCollector.collect (list, inspect and one-shot stats of every
 * container, up to 16 requests in flight, collects 1.5 s apart) against the daemon at DOCKER_HOST, in ms per container.
 * Run by bench/telemetry/run as: java -cp target/n0d3.jar bench/telemetry/DockerStatsBench.java N
 */
public class DockerStatsBench {
    public static void main(String[] args) {
        int expected = Integer.parseInt(args[0]);
        DockerCollector c = new DockerCollector(DockerClient.fromEnv(System.getenv()));
        TelemetryState state = TelemetryState.empty();
        var first = c.collect(state); // warm-up: class loading, connections
        if (first.path("containers_total").asInt() != expected) {
            throw new IllegalStateException("expected " + expected + " containers, the daemon has " + first.path("containers_total"));
        }
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            // spaced as a sampling interval spaces them: dockerd keeps a container's stats collector for
            // about a second after a request, and a request meeting it waits for its next 1 s tick
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            long t0 = System.nanoTime();
            c.collect(state);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[ms.length / 2];
        System.out.printf(java.util.Locale.ROOT, "%d %.1f %.2f%n", expected, median, median / expected);
    }
}
