package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sample in the Prometheus text exposition format (version 0.0.4), named after node_exporter's
 * conventions with the {@code pr_cybr_} prefix: base units in the name ({@code _bytes},
 * {@code _seconds}), counters ending in {@code _total}, one HELP and TYPE per family. The same text
 * is served on /metrics by the daemon and written into a node_exporter textfile directory, atomically
 * (temp file, then rename), so node_exporter never reads half a file. Checked with
 * {@code promtool check metrics} in the tests.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String TEXTFILE_NAME = "pr_cybr_telemetry.prom";

    private record Family(String help, String type, List<String> lines) {}

    private final Map<String, Family> families = new LinkedHashMap<>();

    private PrometheusText() {}

    public static String render(JsonNode p) {
        PrometheusText t = new PrometheusText();
        t.all(p);
        StringBuilder sb = new StringBuilder();
        t.families.forEach((name, f) -> {
            sb.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            f.lines().forEach(l -> sb.append(l).append('\n'));
        });
        return sb.toString();
    }

    /** Writes the exposition as DIR/pr_cybr_telemetry.prom, world-readable, atomically. */
    public static Path writeTextfile(Path dir, JsonNode payload) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(TEXTFILE_NAME);
        AtomicFile.write(f, render(payload).getBytes(StandardCharsets.UTF_8), true);
        return f;
    }

    private void all(JsonNode p) {
        JsonNode m = p.path("metrics");
        add(
                "pr_cybr_node_info",
                "gauge",
                "Node identity; the value is always 1.",
                labels(
                        "node_id",
                        p.path("node_id").asText(),
                        "hostname",
                        p.path("hostname").asText(),
                        "architecture",
                        p.path("architecture").asText(),
                        "version",
                        p.path("agent").path("version").asText()),
                1);
        add(
                "pr_cybr_telemetry_sample_timestamp_seconds",
                "gauge",
                "When this sample was taken, in seconds since the epoch.",
                "",
                Payload.epochMillis(p.path("timestamp").asText()) / 1000.0);
        add(
                "pr_cybr_uptime_seconds",
                "gauge",
                "Seconds since the host booted.",
                "",
                p.path("uptime_seconds").asDouble());
        JsonNode agent = p.path("agent");
        if (agent.path("interval_seconds").isNumber()) {
            add(
                    "pr_cybr_telemetry_interval_seconds",
                    "gauge",
                    "The configured sampling interval (capabilities.telemetry.interval).",
                    "",
                    agent.path("interval_seconds").asDouble());
        }
        if (agent.path("swarm_expected").isBoolean()) {
            add(
                    "pr_cybr_swarm_membership_expected",
                    "gauge",
                    "1 when this node should be an active swarm member (capabilities.swarm.enabled, no deliberate leave), else 0.",
                    "",
                    agent.path("swarm_expected").asBoolean() ? 1 : 0);
        }

        JsonNode cpu = m.path("cpu");
        cpu.path("seconds_total")
                .properties()
                .forEach(e -> add(
                        "pr_cybr_cpu_seconds_total",
                        "counter",
                        "Seconds the CPUs spent in each mode (from /proc/stat).",
                        labels("mode", e.getKey()),
                        e.getValue().asDouble()));
        if (cpu.path("cpu_percent").isNumber()) {
            add(
                    "pr_cybr_cpu_utilisation_ratio",
                    "gauge",
                    "Busy share of all CPUs since the previous sample (0 to 1).",
                    "",
                    cpu.path("cpu_percent").asDouble() / 100.0);
        }
        add(
                "pr_cybr_load1",
                "gauge",
                "1-minute load average.",
                "",
                cpu.path("load_avg_1m").asDouble());
        add(
                "pr_cybr_load5",
                "gauge",
                "5-minute load average.",
                "",
                cpu.path("load_avg_5m").asDouble());
        add(
                "pr_cybr_load15",
                "gauge",
                "15-minute load average.",
                "",
                cpu.path("load_avg_15m").asDouble());
        if (cpu.path("temperature_celsius").isNumber()) {
            add(
                    "pr_cybr_cpu_temperature_celsius",
                    "gauge",
                    "CPU temperature.",
                    "",
                    cpu.path("temperature_celsius").asDouble());
        }

        JsonNode mem = m.path("memory");
        add(
                "pr_cybr_memory_total_bytes",
                "gauge",
                "Physical memory.",
                "",
                mem.path("total_bytes").asDouble());
        add(
                "pr_cybr_memory_available_bytes",
                "gauge",
                "Memory available for new work (MemAvailable).",
                "",
                mem.path("available_bytes").asDouble());
        add(
                "pr_cybr_memory_used_bytes",
                "gauge",
                "Memory in use: total minus available.",
                "",
                mem.path("used_bytes").asDouble());
        add(
                "pr_cybr_swap_total_bytes",
                "gauge",
                "Swap space.",
                "",
                mem.path("swap_total_bytes").asDouble());
        add(
                "pr_cybr_swap_used_bytes",
                "gauge",
                "Swap in use.",
                "",
                mem.path("swap_used_bytes").asDouble());

        for (JsonNode fs : m.path("disk").path("filesystems")) {
            String l = labels(
                    "device",
                    fs.path("device").asText(),
                    "fstype",
                    fs.path("fstype").asText(),
                    "mountpoint",
                    fs.path("mountpoint").asText());
            add(
                    "pr_cybr_filesystem_size_bytes",
                    "gauge",
                    "File system size.",
                    l,
                    fs.path("size_bytes").asDouble());
            add(
                    "pr_cybr_filesystem_free_bytes",
                    "gauge",
                    "File system free space, including space reserved for root.",
                    l,
                    fs.path("free_bytes").asDouble());
            add(
                    "pr_cybr_filesystem_avail_bytes",
                    "gauge",
                    "File system space available to non-root users.",
                    l,
                    fs.path("available_bytes").asDouble());
        }

        for (JsonNode i : m.path("network").path("interfaces")) {
            String l = labels("device", i.path("name").asText());
            add(
                    "pr_cybr_network_receive_bytes_total",
                    "counter",
                    "Bytes received by the interface.",
                    l,
                    i.path("rx_bytes").asDouble());
            add(
                    "pr_cybr_network_transmit_bytes_total",
                    "counter",
                    "Bytes sent by the interface.",
                    l,
                    i.path("tx_bytes").asDouble());
            add(
                    "pr_cybr_network_receive_packets_total",
                    "counter",
                    "Packets received by the interface.",
                    l,
                    i.path("rx_packets").asDouble());
            add(
                    "pr_cybr_network_transmit_packets_total",
                    "counter",
                    "Packets sent by the interface.",
                    l,
                    i.path("tx_packets").asDouble());
            add(
                    "pr_cybr_network_receive_errs_total",
                    "counter",
                    "Receive errors on the interface.",
                    l,
                    i.path("rx_errors").asDouble());
            add(
                    "pr_cybr_network_transmit_errs_total",
                    "counter",
                    "Transmit errors on the interface.",
                    l,
                    i.path("tx_errors").asDouble());
        }

        JsonNode d = m.path("docker");
        boolean up = d.path("available").asBoolean(false);
        add("pr_cybr_docker_up", "gauge", "1 when the Docker Engine API answered, else 0.", "", up ? 1 : 0);
        if (up) {
            add(
                    "pr_cybr_docker_swarm_node_info",
                    "gauge",
                    "Swarm membership of this engine; the value is always 1.",
                    labels(
                            "state",
                            d.path("swarm").path("state").asText(),
                            "role",
                            d.path("swarm").path("role").asText()),
                    1);
            for (String s : List.of("total", "running", "unhealthy", "restarting")) {
                add(
                        "pr_cybr_docker_containers",
                        "gauge",
                        "Containers on this engine, by state.",
                        labels("state", s),
                        d.path("containers_" + s).asDouble());
            }
            for (JsonNode c : d.path("containers")) {
                String l = labels(
                        "name",
                        c.path("name").asText(),
                        "id",
                        c.path("id").asText(),
                        "image",
                        c.path("image").asText());
                add(
                        "pr_cybr_container_restarts_total",
                        "counter",
                        "Times Docker restarted the container.",
                        l,
                        c.path("restart_count").asDouble());
                add(
                        "pr_cybr_container_health_status",
                        "gauge",
                        "Health of the container; 1 for the current status.",
                        labels(
                                "name",
                                c.path("name").asText(),
                                "id",
                                c.path("id").asText(),
                                "image",
                                c.path("image").asText(),
                                "status",
                                c.path("health").asText("none")),
                        1);
                add(
                        "pr_cybr_container_running",
                        "gauge",
                        "1 when the container is running.",
                        l,
                        "running".equals(c.path("state").asText()) ? 1 : 0);
                // a figure the kernel does not give for this container (null in the payload) has no sample
                addIf(
                        c,
                        "cpu_usage_seconds_total",
                        "pr_cybr_container_cpu_usage_seconds_total",
                        "counter",
                        "CPU time used by the container.",
                        l);
                addIf(
                        c,
                        "memory_usage_bytes",
                        "pr_cybr_container_memory_usage_bytes",
                        "gauge",
                        "Memory used by the container, without inactive page cache.",
                        l);
                addIf(
                        c,
                        "memory_limit_bytes",
                        "pr_cybr_container_spec_memory_limit_bytes",
                        "gauge",
                        "Memory limit of the container (host memory when unlimited).",
                        l);
                addIf(
                        c,
                        "network_rx_bytes",
                        "pr_cybr_container_network_receive_bytes_total",
                        "counter",
                        "Bytes received by the container.",
                        l);
                addIf(
                        c,
                        "network_tx_bytes",
                        "pr_cybr_container_network_transmit_bytes_total",
                        "counter",
                        "Bytes sent by the container.",
                        l);
                addIf(
                        c,
                        "block_read_bytes",
                        "pr_cybr_container_fs_reads_bytes_total",
                        "counter",
                        "Bytes read from block devices by the container.",
                        l);
                addIf(
                        c,
                        "block_write_bytes",
                        "pr_cybr_container_fs_writes_bytes_total",
                        "counter",
                        "Bytes written to block devices by the container.",
                        l);
                addIf(
                        c,
                        "pids_current",
                        "pr_cybr_container_pids",
                        "gauge",
                        "Processes and threads in the container (pids.current).",
                        l);
            }
        }

        JsonNode t = m.path("telemetry");
        add(
                "pr_cybr_telemetry_spool_samples",
                "gauge",
                "Samples waiting in the spool for the management node.",
                "",
                t.path("spool_samples").asDouble());
        add(
                "pr_cybr_telemetry_spool_bytes",
                "gauge",
                "Bytes used by the spool.",
                "",
                t.path("spool_bytes").asDouble());
        add(
                "pr_cybr_telemetry_spool_dropped_total",
                "counter",
                "Samples dropped because the spool hit its size or age bound.",
                "",
                t.path("dropped_total").asDouble());
        add(
                "pr_cybr_telemetry_dead_lettered_total",
                "counter",
                "Samples the management node rejected for good (moved to dead-letter).",
                "",
                t.path("dead_lettered_total").asDouble());
    }

    private void addIf(JsonNode c, String field, String name, String type, String help, String labels) {
        if (c.path(field).isNumber())
            add(name, type, help, labels, c.path(field).asDouble());
    }

    private void add(String name, String type, String help, String labels, double value) {
        Family f = families.computeIfAbsent(name, n -> new Family(help, type, new ArrayList<>()));
        f.lines().add(name + labels + " " + number(value));
    }

    static String labels(String... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) sb.append(',');
            sb.append(kv[i]).append("=\"").append(escape(kv[i + 1])).append('"');
        }
        return sb.append('}').toString();
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(
                v); // what String.format("%s", v) printed, without a Formatter (and its regex) per sample
    }
}
