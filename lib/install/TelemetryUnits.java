package lib.install;

import java.util.List;
import lib.config.CodexLoader;
import lib.config.Units;

/**
 * The telemetry units lib/telemetry ships in configs/systemd (timer mode: pr-cybr-telemetry.service run by
 * pr-cybr-telemetry.timer), embedded in the jar. The installer writes them under /etc/systemd/system, enables
 * the timer the way {@code systemctl enable} does (a link in TARGET.wants/ for each WantedBy=), and starts it
 * when systemd runs. The timer's {@code OnUnitActiveSec} follows capabilities.telemetry.interval
 * (TELEMETRY_INTERVAL), as the unit's own comment asks.
 */
public final class TelemetryUnits {
    public static final String SERVICE = "pr-cybr-telemetry.service";
    public static final String TIMER = "pr-cybr-telemetry.timer";
    /** The units to enable and start. */
    public static final List<String> ENABLE = List.of(TIMER);

    public record Unit(String name, String content) {}

    private TelemetryUnits() {}

    /** The unit files for this node (the interval from the settings). */
    public static List<Unit> units(InstallContext ctx) {
        String service = CodexLoader.readResource("configs/systemd/" + SERVICE);
        String timer = CodexLoader.readResource("configs/systemd/" + TIMER)
                .replaceAll(
                        "(?m)^OnUnitActiveSec=.*$",
                        "OnUnitActiveSec=" + Units.format(ctx.settings().telemetryInterval()));
        return List.of(new Unit(SERVICE, service), new Unit(TIMER, timer));
    }
}
