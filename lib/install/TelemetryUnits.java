package lib.install;

import java.util.List;

/**
 * The seam to lib/telemetry (issue 4): the systemd unit files the telemetry service ships and the units to
 * enable. The installer writes them under /etc/systemd/system, enables them the way {@code systemctl enable}
 * does (a link in TARGET.wants/ for each WantedBy=), and starts them when systemd runs.
 */
public interface TelemetryUnits {
    record Unit(String name, String content) {}

    /** The unit files for this node (ExecStart, interval and environment from the settings). */
    List<Unit> units(InstallContext ctx);

    /** The units to enable and start (the timer). */
    List<String> enable(InstallContext ctx);
}
