package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One container's raw counters at one moment, from its cgroups ({@link ContainerCgroups}) or from the
 * Engine API's one-shot stats ({@link #fromEngineStats}), in the units {@code docker stats} uses. A figure
 * the kernel does not give for this container is null, never 0: memory where the memory controller is off
 * (Raspberry Pi OS's default), block IO where the blkio/io controller is off, network for a container on the
 * host's network (its interfaces are the host's).
 *
 * @param cpuNanos      CPU time used since the container started (cpuacct.usage; cpu.stat usage_usec x 1000)
 * @param systemNanos   the host's CPU time as {@code docker stats} counts it (the first seven fields of /proc/stat's
 *                      "cpu" line, in ns), read with the container's: the denominator of the CPU percent
 * @param onlineCpus    CPUs online
 * @param memoryBytes   memory in use without inactive page cache (usage - total_inactive_file on v1,
 *                      memory.current - inactive_file on v2)
 * @param memoryLimit   the limit, or the host's memory when the container has none (as dockerd reports it)
 */
public record ContainerUsage(
        long cpuNanos,
        long systemNanos,
        int onlineCpus,
        Long memoryBytes,
        Long memoryLimit,
        Long blockReadBytes,
        Long blockWriteBytes,
        Long pids,
        Long networkRxBytes,
        Long networkTxBytes) {

    /** From one-shot stats ({@code GET /containers/ID/stats?stream=false&one-shot=true}). */
    static ContainerUsage fromEngineStats(JsonNode s, boolean hostNetwork) {
        JsonNode cpuStats = s.path("cpu_stats");
        long total = cpuStats.path("cpu_usage").path("total_usage").asLong(0);
        long system = cpuStats.path("system_cpu_usage").asLong(0);
        int cpus = cpuStats.path("online_cpus").asInt(0);
        if (cpus <= 0)
            cpus = Math.max(1, cpuStats.path("cpu_usage").path("percpu_usage").size());

        JsonNode mem = s.path("memory_stats");
        Long usage = null;
        Long limit = null;
        if (mem.has("usage")) {
            long u = mem.path("usage").asLong(0);
            JsonNode ms = mem.path("stats");
            long cache = ms.has("total_inactive_file")
                    ? ms.path("total_inactive_file").asLong(0)
                    : ms.path("inactive_file").asLong(0);
            usage = cache < u ? u - cache : u;
            limit = mem.path("limit").asLong(0);
        }
        Long rx = null;
        Long tx = null;
        if (!hostNetwork) {
            rx = 0L;
            tx = 0L;
            for (JsonNode n : s.path("networks")) {
                rx += n.path("rx_bytes").asLong(0);
                tx += n.path("tx_bytes").asLong(0);
            }
        }
        long read = 0;
        long write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asText("");
            if (op.equalsIgnoreCase("read")) read += e.path("value").asLong(0);
            if (op.equalsIgnoreCase("write")) write += e.path("value").asLong(0);
        }
        Long pids = s.path("pids_stats").has("current")
                ? s.path("pids_stats").path("current").asLong()
                : null;
        return new ContainerUsage(total, system, cpus, usage, limit, read, write, pids, rx, tx);
    }
}
