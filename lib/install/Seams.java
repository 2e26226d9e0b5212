package lib.install;

import java.util.Map;
import java.util.Optional;
import lib.config.Settings;

/**
 * What the installer takes from the other parts of the project: the overlay configs (lib/overlay), the
 * swarm join (lib/swarm), the telemetry units (configs/systemd, shipped with lib/telemetry)
 * and the management node client (lib/mgmt).
 * {@link #fromSettings} wires what this build has; tests pass their own.
 */
public record Seams(OverlaySettings overlays, Optional<SwarmEnrolment> swarm, Optional<TelemetryUnits> telemetry,
                    Optional<RegistrationTransport> registration) {

    public static Seams none() {
        return new Seams(OverlaySettings.none(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The seams this build provides for these settings ({@code hostname}: the kernel's host name). */
    public static Seams fromSettings(Settings settings, Map<String, String> env, String hostname) {
        return new Seams(OverlayConfigsSource.load(settings, env, hostname), Optional.of(new LibSwarmEnrolment(settings)), Optional.of(new SystemdTelemetryUnits()),
                MgmtRegistration.fromSettings(settings));
    }

    public Seams withOverlays(OverlaySettings o) {
        return new Seams(o, swarm, telemetry, registration);
    }

    public Seams withSwarm(SwarmEnrolment s) {
        return new Seams(overlays, Optional.of(s), telemetry, registration);
    }

    public Seams withTelemetry(TelemetryUnits t) {
        return new Seams(overlays, swarm, Optional.of(t), registration);
    }

    public Seams withRegistration(RegistrationTransport r) {
        return new Seams(overlays, swarm, telemetry, Optional.of(r));
    }
}
