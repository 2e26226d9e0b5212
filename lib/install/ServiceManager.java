package lib.install;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import lib.proc.Command;

/** How services are enabled, started and restarted on this host: systemd, OpenRC, or no init system at all. */
public enum ServiceManager {
    SYSTEMD,
    OPENRC,
    NONE;

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    public static ServiceManager of(String initSystem) {
        return switch (initSystem == null ? "" : initSystem) {
            case "systemd" -> SYSTEMD;
            case "openrc" -> OPENRC;
            default -> NONE;
        };
    }

    /** Enable at boot and start now; empty with no init system (the caller starts the daemon itself). */
    public List<Command> enableNow(String service) {
        return switch (this) {
            case SYSTEMD -> List.of(cmd("systemctl", "enable", "--now", service));
            case OPENRC -> List.of(cmd("rc-update", "add", service, "default"), cmd("rc-service", service, "start"));
            case NONE -> List.of();
        };
    }

    public List<Command> restart(String service) {
        return switch (this) {
            case SYSTEMD -> List.of(cmd("systemctl", "restart", service));
            case OPENRC -> List.of(cmd("rc-service", service, "restart"));
            case NONE -> List.of();
        };
    }

    public List<Command> disableNow(String service) {
        return switch (this) {
            case SYSTEMD -> List.of(cmd("systemctl", "disable", "--now", service));
            case OPENRC -> List.of(cmd("rc-service", service, "stop"), cmd("rc-update", "del", service, "default"));
            case NONE -> List.of();
        };
    }

    /** systemd reads unit files again after they changed. */
    public List<Command> reload() {
        return this == SYSTEMD ? List.of(cmd("systemctl", "daemon-reload")) : List.of();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static Command cmd(String... argv) {
        return Command.of(argv).timeout(TIMEOUT);
    }
}
