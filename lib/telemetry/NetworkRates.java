package lib.telemetry;

/**
 * Per-second rates from two readings of monotonically increasing counters (interface bytes, packets).
 * A counter that went down was reset (reboot, driver reload, interface re-created, 32-bit wrap): the
 * rate for that interval is computed from zero, as Prometheus' rate() does, never negative.
 */
public final class NetworkRates {
    private NetworkRates() {}

    /**
     * The rate per second, or null when there is no previous reading or no time elapsed.
     * After a reset the counter's current value is the increase since the reset.
     */
    public static Double rate(Long previous, long current, double elapsedSeconds) {
        if (previous == null || elapsedSeconds <= 0) return null;
        long delta = current >= previous ? current - previous : current;
        return CpuTicks.round2(delta / elapsedSeconds);
    }

    /** True when the counter went backwards between the readings. */
    public static boolean reset(Long previous, long current) {
        return previous != null && current < previous;
    }
}
