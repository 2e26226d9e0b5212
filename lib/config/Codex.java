package lib.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * codex.yaml as typed records. Field names follow the file (snake_case there, camelCase here);
 * schemas/codex.schema.json is the contract and CodexSchemaCoverageTest proves every component here
 * is declared there. Defaults come from the embedded codex.yaml, deep-merged under the operator's file.
 */
public record Codex(
        Metadata metadata,
        Management management,
        Capabilities capabilities,
        Resources resources,
        Endpoints endpoints,
        Security security,
        Deployment deployment,
        Build build,
        Install install) {

    public record Metadata(
            String name,
            String version,
            String description,
            String repository,
            String maintainer,
            String nodeName,
            Map<String, String> labels) {}

    public record Management(String apiEndpoint, Duration timeout, Boolean verifyTls) {}

    public record Capabilities(Swarm swarm, Networking networking, Telemetry telemetry) {}

    public record Swarm(
            Boolean enabled,
            String role,
            List<String> managers,
            Duration probeTimeout,
            Duration joinTimeout,
            List<OverlayNetwork> networks) {}

    public record OverlayNetwork(String name, Boolean attachable, Boolean encrypted, Integer mtu) {}

    public record Networking(Overlays overlays) {}

    public record Overlays(Overlay zerotier, Overlay tailscale) {}

    public record Overlay(Boolean enabled, String config) {}

    public record Telemetry(
            Boolean enabled,
            Duration interval,
            String stateDir,
            String textfileDir,
            Integer batchSize,
            Duration sendBudget,
            TelemetrySpool spool,
            Backoff backoff) {}

    /** Sizes stay text here ("16MiB"); {@link Units#bytes} reads them. */
    public record TelemetrySpool(String maxBytes, Duration maxAge) {}

    public record Backoff(Duration initial, Duration max) {}

    public record Resources(ResourceProfile minimum, ResourceProfile recommended) {}

    public record ResourceProfile(Double cpuCores, Long memoryMb, Double diskGb) {}

    public record Endpoints(Listen metrics, PathOnly health, PathOnly ready) {}

    public record Listen(String listen, String path) {}

    public record PathOnly(String path) {}

    public record Security(Secrets secrets, NetworkPolicies networkPolicies) {}

    public record Secrets(List<SecretRef> required, List<SecretRef> optional) {}

    public record SecretRef(String name, String description) {}

    public record NetworkPolicies(List<Port> ports) {}

    public record Port(Integer port, String protocol, String purpose) {}

    public record Deployment(List<Verification> verification) {}

    public record Verification(String name, String check, String url) {}

    public record Build(String registry, String imageName, String version) {}

    public record Install(InstallDocker docker, Registration registration) {}

    public record InstallDocker(
            String source, String logMaxSize, Integer logMaxFile, Integer mtu, String metricsAddr) {}

    public record Registration(Integer attempts, Duration backoff) {}
}
