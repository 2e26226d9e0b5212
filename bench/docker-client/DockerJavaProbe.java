import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

/** (b) docker-java core + zerodep transport: GET /_ping then GET /v1.41/info, print one line, exit. */
public class DockerJavaProbe {
    public static void main(String[] args) throws Exception {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(System.getenv("DOCKER_HOST"))
                .withApiVersion("1.41")
                .build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .build();
        try (DockerClient c = DockerClientImpl.getInstance(config, http)) {
            c.pingCmd().exec();
            Info info = c.infoCmd().exec();
            Probe.done("docker-java", info.getName(), info.getServerVersion());
        }
    }
}
