package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The aggregate CPU line of /proc/stat (user nice system idle iowait irq softirq steal), in USER_HZ
 * ticks, as OSHI's {@code CpuStat} driver reads it. Utilisation is computed between two readings taken
 * in different runs (persisted in the state dir), so no run ever sleeps to measure it.
 */
public record CpuTicks(long[] ticks) {
    /** Field order of /proc/stat and of OSHI's TickType. */
    static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
    /** USER_HZ: 100 on every Linux architecture we support (sysconf(_SC_CLK_TCK)). */
    public static final int USER_HZ = 100;

    public CpuTicks {
        if (ticks == null || ticks.length < MODES.length) {
            throw new IllegalArgumentException("expected " + MODES.length + " tick counters");
        }
        ticks = java.util.Arrays.copyOf(ticks, MODES.length);
    }

    public long total() {
        long t = 0;
        for (long v : ticks) t += v;
        return t;
    }

    /** Idle time as the kernel counts it for utilisation: idle + iowait. */
    public long idle() {
        return ticks[3] + ticks[4];
    }

    /**
     * Busy share in percent between {@code previous} and this reading, or null when it cannot be told:
     * no previous reading, no time elapsed, or counters that went backwards (a reboot in between).
     */
    public Double utilisationSince(CpuTicks previous) {
        if (previous == null) return null;
        long dTotal = total() - previous.total();
        long dIdle = idle() - previous.idle();
        if (dTotal <= 0 || dIdle < 0 || dIdle > dTotal) return null;
        for (int i = 0; i < MODES.length; i++) {
            if (ticks[i] < previous.ticks[i]) return null;
        }
        return round2(100.0 * (dTotal - dIdle) / dTotal);
    }

    /** Per-mode share of the elapsed ticks, in percent (null when {@link #utilisationSince} is null). */
    public double[] modesSince(CpuTicks previous) {
        if (utilisationSince(previous) == null) return null;
        long dTotal = total() - previous.total();
        double[] out = new double[MODES.length];
        for (int i = 0; i < MODES.length; i++) out[i] = round2(100.0 * (ticks[i] - previous.ticks[i]) / dTotal);
        return out;
    }

    public JsonNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (long v : ticks) a.add(v);
        return a;
    }

    /** From the state file; null when absent or malformed (treated as a first run). */
    public static CpuTicks fromJson(JsonNode n) {
        if (n == null || !n.isArray() || n.size() < MODES.length) return null;
        long[] t = new long[MODES.length];
        for (int i = 0; i < MODES.length; i++) {
            if (!n.get(i).canConvertToLong()) return null;
            t[i] = n.get(i).asLong();
        }
        return new CpuTicks(t);
    }

    static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
