package lib.install;

import java.util.List;
import lib.config.CodexLoader;
import lib.config.Units;

/**
 * The telemetry units lib/telemetry ships in configs/systemd (timer mode: pr-cybr-telemetry.service run by
 * pr-cybr-telemetry.timer), embedded in the jar. The timer's {@code OnUnitActiveSec} follows
 * capabilities.telemetry.interval (TELEMETRY_INTERVAL), as the unit's own comment asks.
 */
public final class SystemdTelemetryUnits implements TelemetryUnits {
    public static final String SERVICE = "pr-cybr-telemetry.service";
    public static final String TIMER = "pr-cybr-telemetry.timer";

    @Override
    public List<Unit> units(InstallContext ctx) {
        String service = CodexLoader.readResource("configs/systemd/" + SERVICE);
        String timer = CodexLoader.readResource("configs/systemd/" + TIMER)
                .replaceAll("(?m)^OnUnitActiveSec=.*$", "OnUnitActiveSec=" + Units.format(ctx.settings().telemetryInterval()));
        return List.of(new Unit(SERVICE, service), new Unit(TIMER, timer));
    }

    @Override
    public List<String> enable(InstallContext ctx) {
        return List.of(TIMER);
    }
}
