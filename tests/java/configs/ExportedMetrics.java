package configs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.telemetry.PrometheusText;

/**
 * The metric families a node really exports: lib/telemetry/PrometheusText rendering a sample with every
 * part present (Docker up and in a swarm, a container with stats, a file system, an interface, the agent's
 * settings), and the pr_cybr_ names a PromQL text uses, so the alert rules and the dashboard can be held
 * to what exists.
 */
final class ExportedMetrics {
    private ExportedMetrics() {}

    static final String FULL_SAMPLE = """
            {"schema_version": 1, "sample_id": "00000000-0000-4000-8000-000000000000", "node_id": "node-a", "hostname": "a",
             "architecture": "amd64", "machine": "x86_64", "timestamp": "2026-01-01T00:00:00Z", "uptime_seconds": 100,
             "agent": {"name": "pr-cybr-n0d3-telemetry", "version": "0.1.0", "interval_seconds": 60, "swarm_expected": true},
             "metrics": {
               "cpu": {"seconds_total": {"user": 1.5, "idle": 10}, "cpu_percent": 12.5, "load_avg_1m": 0.5, "load_avg_5m": 0.4,
                       "load_avg_15m": 0.3, "temperature_celsius": 45.0},
               "memory": {"total_bytes": 1000, "available_bytes": 600, "used_bytes": 400, "swap_total_bytes": 0, "swap_used_bytes": 0},
               "disk": {"filesystems": [{"device": "/dev/sda2", "fstype": "ext4", "mountpoint": "/", "size_bytes": 100, "free_bytes": 50,
                        "available_bytes": 40}]},
               "network": {"interfaces": [{"name": "eth0", "rx_bytes": 1, "tx_bytes": 2, "rx_packets": 3, "tx_packets": 4, "rx_errors": 0,
                           "tx_errors": 0}]},
               "docker": {"available": true, "swarm": {"state": "active", "role": "worker"}, "containers_total": 1,
                          "containers_running": 1, "containers_unhealthy": 0, "containers_restarting": 0,
                          "containers": [{"id": "0a1b2c3d4e5f", "name": "web", "image": "nginx:1.27", "state": "running", "health": "healthy",
                                          "restart_count": 2, "cpu_usage_seconds_total": 1.0, "memory_usage_bytes": 10, "memory_limit_bytes": 100,
                                          "network_rx_bytes": 1, "network_tx_bytes": 2, "block_read_bytes": 3, "block_write_bytes": 4}]},
               "telemetry": {"spool_samples": 0, "spool_bytes": 0, "dropped_total": 0, "dead_lettered_total": 0}}}
            """;

    private static final Pattern FAMILY = Pattern.compile("(?m)^# TYPE (\\S+) ");
    private static final Pattern USED = Pattern.compile("\\bpr_cybr_[a-z0-9_]+\\b");

    /** Every family name in the exposition of {@link #FULL_SAMPLE}. */
    static Set<String> families() {
        JsonNode sample;
        try {
            sample = Repo.JSON.readTree(FULL_SAMPLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> out = new TreeSet<>();
        Matcher m = FAMILY.matcher(PrometheusText.render(sample));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The pr_cybr_ metric names a PromQL expression (or any text) mentions. */
    static Set<String> usedIn(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = USED.matcher(promql);
        while (m.find()) out.add(m.group());
        return out;
    }
}
