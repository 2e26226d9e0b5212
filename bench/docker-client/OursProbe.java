import com.fasterxml.jackson.databind.JsonNode;
import lib.docker.DockerClient;

/** (a) lib.docker.DockerClient: GET /_ping then GET /v1.41/info, print one line, exit. */
public class OursProbe {
    public static void main(String[] args) throws Exception {
        DockerClient c = DockerClient.fromEnv(System.getenv());
        if (!c.ping()) throw new IllegalStateException("no answer to /_ping");
        JsonNode info = c.info();
        Probe.done(
                "ours", info.path("Name").asText(), info.path("ServerVersion").asText());
    }
}
