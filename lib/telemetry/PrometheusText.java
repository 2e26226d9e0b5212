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
import java.util.regex.Pattern;

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

    /** One family's HELP and TYPE and its sample lines so far, written straight into one builder. */
    private record Family(String help, String type, StringBuilder lines) {}

    /** A family whose sample is the number in one field of a payload object. */
    private record Metric(String field, String name, String type, String help) {
        /** Rows "field name type help..." under "group:" lines. */
        static Map<String, List<Metric>> table(String text) {
            Map<String, List<Metric>> groups = new LinkedHashMap<>();
            Pattern columns = Pattern.compile("\\s+"); // once, not a regex compiled per row by String.split
            List<Metric> group = null;
            for (String line : text.strip().split("\n")) {
                String row = line.strip();
                if (row.endsWith(":")) {
                    group = new ArrayList<>();
                    groups.put(row.substring(0, row.length() - 1), group);
                } else {
                    String[] c = columns.split(row, 4);
                    group.add(new Metric(c[0], c[1], c[2], c[3]));
                }
            }
            return groups;
        }
    }

    private static final String GAUGE = "gauge";
    private static final String COUNTER = "counter";

    /** What names a container's samples. */
    private static final List<String> CONTAINER_LABELS = List.of("name", "id", "image");

    /**
     * The families whose sample is the number in one field of a payload object, by the part of the payload they
     * read: field, metric name, type, help. A container figure the kernel does not give is null in the payload.
     */
    private static final Map<String, List<Metric>> FIELD_METRICS = Metric.table("""
            interval:
              interval_seconds         pr_cybr_telemetry_interval_seconds              gauge    The configured sampling interval (capabilities.telemetry.interval).
            load:
              load_avg_1m              pr_cybr_load1                                   gauge    1-minute load average.
              load_avg_5m              pr_cybr_load5                                   gauge    5-minute load average.
              load_avg_15m             pr_cybr_load15                                  gauge    15-minute load average.
            temperature:
              temperature_celsius      pr_cybr_cpu_temperature_celsius                 gauge    CPU temperature.
            memory:
              total_bytes              pr_cybr_memory_total_bytes                      gauge    Physical memory.
              available_bytes          pr_cybr_memory_available_bytes                  gauge    Memory available for new work (MemAvailable).
              used_bytes               pr_cybr_memory_used_bytes                       gauge    Memory in use: total minus available.
              swap_total_bytes         pr_cybr_swap_total_bytes                        gauge    Swap space.
              swap_used_bytes          pr_cybr_swap_used_bytes                         gauge    Swap in use.
            filesystem:
              size_bytes               pr_cybr_filesystem_size_bytes                   gauge    File system size.
              free_bytes               pr_cybr_filesystem_free_bytes                   gauge    File system free space, including space reserved for root.
              available_bytes          pr_cybr_filesystem_avail_bytes                  gauge    File system space available to non-root users.
            interface:
              rx_bytes                 pr_cybr_network_receive_bytes_total             counter  Bytes received by the interface.
              tx_bytes                 pr_cybr_network_transmit_bytes_total            counter  Bytes sent by the interface.
              rx_packets               pr_cybr_network_receive_packets_total           counter  Packets received by the interface.
              tx_packets               pr_cybr_network_transmit_packets_total          counter  Packets sent by the interface.
              rx_errors                pr_cybr_network_receive_errs_total              counter  Receive errors on the interface.
              tx_errors                pr_cybr_network_transmit_errs_total             counter  Transmit errors on the interface.
            container:
              cpu_usage_seconds_total  pr_cybr_container_cpu_usage_seconds_total       counter  CPU time used by the container.
              memory_usage_bytes       pr_cybr_container_memory_usage_bytes            gauge    Memory used by the container, without inactive page cache.
              memory_limit_bytes       pr_cybr_container_spec_memory_limit_bytes       gauge    Memory limit of the container (host memory when unlimited).
              network_rx_bytes         pr_cybr_container_network_receive_bytes_total   counter  Bytes received by the container.
              network_tx_bytes         pr_cybr_container_network_transmit_bytes_total  counter  Bytes sent by the container.
              block_read_bytes         pr_cybr_container_fs_reads_bytes_total          counter  Bytes read from block devices by the container.
              block_write_bytes        pr_cybr_container_fs_writes_bytes_total         counter  Bytes written to block devices by the container.
              pids_current             pr_cybr_container_pids                          gauge    Processes and threads in the container (pids.current).
            spool:
              spool_samples            pr_cybr_telemetry_spool_samples                 gauge    Samples waiting in the spool for the management node.
              spool_bytes              pr_cybr_telemetry_spool_bytes                   gauge    Bytes used by the spool.
              dropped_total            pr_cybr_telemetry_spool_dropped_total           counter  Samples dropped because the spool hit its size or age bound.
              dead_lettered_total      pr_cybr_telemetry_dead_lettered_total           counter  Samples the management node rejected for good (moved to dead-letter).
            """);

    private final Map<String, Family> families = new LinkedHashMap<>();

    private PrometheusText() {}

    public static String render(JsonNode p) {
        PrometheusText t = new PrometheusText();
        t.all(p);
        StringBuilder sb = new StringBuilder();
        t.families.forEach((name, f) -> {
            sb.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            sb.append(f.lines());
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
                GAUGE,
                "Node identity; the value is always 1.",
                labels(
                        p,
                        List.of("node_id", "hostname", "architecture"),
                        "version",
                        p.path("agent").path("version").asText()),
                1);
        add(
                "pr_cybr_telemetry_sample_timestamp_seconds",
                GAUGE,
                "When this sample was taken, in seconds since the epoch.",
                "",
                Payload.epochMillis(p.path("timestamp").asText()) / 1000.0);
        add(
                "pr_cybr_uptime_seconds",
                GAUGE,
                "Seconds since the host booted.",
                "",
                p.path("uptime_seconds").asDouble());
        JsonNode agent = p.path("agent");
        readNumbers(agent, "", metrics("interval"));
        if (agent.path("swarm_expected").isBoolean()) {
            add(
                    "pr_cybr_swarm_membership_expected",
                    GAUGE,
                    "1 when this node should be an active swarm member (capabilities.swarm.enabled, no deliberate leave), else 0.",
                    "",
                    agent.path("swarm_expected").asBoolean() ? 1 : 0);
        }

        JsonNode cpu = m.path("cpu");
        cpu.path("seconds_total")
                .properties()
                .forEach(e -> add(
                        "pr_cybr_cpu_seconds_total",
                        COUNTER,
                        "Seconds the CPUs spent in each mode (from /proc/stat).",
                        labels("mode", e.getKey()),
                        e.getValue().asDouble()));
        if (cpu.path("cpu_percent").isNumber()) {
            add(
                    "pr_cybr_cpu_utilisation_ratio",
                    GAUGE,
                    "Busy share of all CPUs since the previous sample (0 to 1).",
                    "",
                    cpu.path("cpu_percent").asDouble() / 100.0);
        }
        read(cpu, "", metrics("load"));
        readNumbers(cpu, "", metrics("temperature"));

        read(m.path("memory"), "", metrics("memory"));

        for (JsonNode fs : m.path("disk").path("filesystems")) {
            read(fs, labels(fs, List.of("device", "fstype", "mountpoint")), metrics("filesystem"));
        }

        for (JsonNode i : m.path("network").path("interfaces")) {
            read(i, labels("device", i.path("name").asText()), metrics("interface"));
        }

        JsonNode d = m.path("docker");
        boolean up = d.path("available").asBoolean(false);
        add("pr_cybr_docker_up", GAUGE, "1 when the Docker Engine API answered, else 0.", "", up ? 1 : 0);
        if (up) {
            add(
                    "pr_cybr_docker_swarm_node_info",
                    GAUGE,
                    "Swarm membership of this engine; the value is always 1.",
                    labels(d.path("swarm"), List.of("state", "role")),
                    1);
            for (String s : List.of("total", "running", "unhealthy", "restarting")) {
                add(
                        "pr_cybr_docker_containers",
                        GAUGE,
                        "Containers on this engine, by state.",
                        labels("state", s),
                        d.path("containers_" + s).asDouble());
            }
            for (JsonNode c : d.path("containers")) {
                String l = labels(c, CONTAINER_LABELS);
                add(
                        "pr_cybr_container_restarts_total",
                        COUNTER,
                        "Times Docker restarted the container.",
                        l,
                        c.path("restart_count").asDouble());
                add(
                        "pr_cybr_container_health_status",
                        GAUGE,
                        "Health of the container; 1 for the current status.",
                        labels(c, CONTAINER_LABELS, "status", c.path("health").asText("none")),
                        1);
                add(
                        "pr_cybr_container_running",
                        GAUGE,
                        "1 when the container is running.",
                        l,
                        "running".equals(c.path("state").asText()) ? 1 : 0);
                readNumbers(c, l, metrics("container"));
            }
        }

        read(m.path("telemetry"), "", metrics("spool"));
    }

    private static List<Metric> metrics(String group) {
        List<Metric> m = FIELD_METRICS.get(group);
        if (m == null) throw new IllegalStateException("no metric group " + group);
        return m;
    }

    /** One sample of each family: the number in {@code from}'s field. */
    private void read(JsonNode from, String labels, List<Metric> metrics) {
        for (Metric x : metrics)
            add(x.name(), x.type(), x.help(), labels, from.path(x.field()).asDouble());
    }

    /** As {@link #read}, without a sample where the field is not a number (null in the payload: not known here). */
    private void readNumbers(JsonNode from, String labels, List<Metric> metrics) {
        for (Metric x : metrics) {
            if (from.path(x.field()).isNumber())
                add(x.name(), x.type(), x.help(), labels, from.path(x.field()).asDouble());
        }
    }

    private void add(String name, String type, String help, String labels, double value) {
        Family f = families.get(name);
        if (f == null) {
            f = new Family(help, type, new StringBuilder());
            families.put(name, f);
        }
        f.lines().append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    /** The labels NAME="the text of from's NAME" for each of {@code names}, then the pairs {@code more}. */
    private static String labels(JsonNode from, List<String> names, String... more) {
        List<String> kv = new ArrayList<>();
        for (String n : names) {
            kv.add(n);
            kv.add(from.path(n).asText());
        }
        kv.addAll(List.of(more));
        return labels(kv.toArray(String[]::new));
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
