package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import lab.Lab;
import lab.LabTest;
import lib.cli.Log;
import lib.docker.DockerApiException;
import lib.docker.DockerClient;
import lib.telemetry.DockerCollector;
import lib.telemetry.TelemetryState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Container stats from the cgroups against a real dockerd (the lab: Debian's 20.10, cgroupfs driver, this
 * machine's hybrid cgroups, hence v1): every figure of every running container equals what the kernel's
 * files say and what the Engine API's one-shot stats say for the same container; running, unhealthy,
 * restarting, host-network, memory-limited, networked and block-IO containers; a restart between two samples
 * resets the CPU rate (null, never negative); a running container is inspected once, not on every sample;
 * and a real cgroup v2 run: this machine's cgroup2 hierarchy, mounted over /sys/fs/cgroup in a private mount
 * namespace (the host's mounts untouched), where only cpu.stat has figures (the v1 hierarchies hold the
 * memory, io and pids controllers).
 */
@LabTest(nodes = 1, busybox = true)
class ContainerCgroupsLabTest {
    static final String IMAGE = DockerCollectorLabTest.IMAGE;
    static Map<String, String> ids = new LinkedHashMap<>();
    static String blockDevice;

    @TempDir
    Path work;

    @BeforeAll
    static void containers(Lab lab) throws Exception {
        DockerClient d = lab.node(1).docker();
        ObjectNode net = PayloadSchema.JSON.createObjectNode();
        net.put("Name", "cgnet");
        net.put("Driver", "bridge");
        d.networkCreate(net);
        ids.put("cg-idle", DockerCollectorLabTest.create(d, "cg-idle", DockerCollectorLabTest.spec("sleep", "3600")));
        ObjectNode a = DockerCollectorLabTest.spec("sleep", "3600");
        a.putObject("HostConfig").put("NetworkMode", "cgnet");
        ids.put("cg-net-a", DockerCollectorLabTest.create(d, "cg-net-a", a));
        ObjectNode b = DockerCollectorLabTest.spec("sh", "-c", "ping -c 10 -i 0.2 cg-net-a; sleep 3600");
        b.putObject("HostConfig").put("NetworkMode", "cgnet");
        ids.put("cg-net-b", DockerCollectorLabTest.create(d, "cg-net-b", b));
        ObjectNode host = DockerCollectorLabTest.spec("sleep", "3600");
        host.putObject("HostConfig").put("NetworkMode", "host");
        ids.put("cg-host", DockerCollectorLabTest.create(d, "cg-host", host));
        ObjectNode limited = DockerCollectorLabTest.spec("sleep", "3600");
        limited.putObject("HostConfig").put("Memory", 64L * 1024 * 1024);
        ids.put("cg-limit", DockerCollectorLabTest.create(d, "cg-limit", limited));
        // kernel 6.x counts v1 blkio throttle bytes only on a queue with a throttle rule: give the container one
        blockDevice = blockDeviceOf(lab.dir());
        ObjectNode io = DockerCollectorLabTest.spec(
                "sh",
                "-c",
                "dd if=/dev/zero of=/tmp/f bs=64k count=32 oflag=direct && dd if=/tmp/f of=/dev/null bs=64k iflag=direct; sleep 3600");
        if (blockDevice != null) {
            ObjectNode hc = io.putObject("HostConfig");
            hc.putArray("BlkioDeviceReadBps")
                    .addObject()
                    .put("Path", blockDevice)
                    .put("Rate", 1L << 30);
            hc.putArray("BlkioDeviceWriteBps")
                    .addObject()
                    .put("Path", blockDevice)
                    .put("Rate", 1L << 30);
        }
        ids.put("cg-io", DockerCollectorLabTest.create(d, "cg-io", io));
        ObjectNode sick = DockerCollectorLabTest.spec("sleep", "3600");
        ObjectNode hc = sick.putObject("Healthcheck");
        hc.putArray("Test").add("CMD").add("false");
        hc.put("Interval", 1_000_000_000L);
        hc.put("Timeout", 1_000_000_000L);
        hc.put("Retries", 1);
        ids.put("cg-sick", DockerCollectorLabTest.create(d, "cg-sick", sick));
        ObjectNode crashing = DockerCollectorLabTest.spec("false");
        crashing.putObject("HostConfig").putObject("RestartPolicy").put("Name", "always");
        ids.put("cg-crash", DockerCollectorLabTest.create(d, "cg-crash", crashing));

        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            boolean sickOk = d.container("cg-sick")
                    .path("State")
                    .path("Health")
                    .path("Status")
                    .asText()
                    .equals("unhealthy");
            boolean crashed = d.container("cg-crash").path("RestartCount").asLong() >= 1;
            long pid = d.container("cg-net-b").path("State").path("Pid").asLong();
            boolean pinged = netDev(pid)[1] >= 10 * 98; // ten echo requests of 98 bytes sent
            long ioPid = d.container("cg-io").path("State").path("Pid").asLong();
            boolean ioDone =
                    Files.readString(Path.of("/proc/" + ioPid + "/cmdline")).startsWith("sleep");
            if (sickOk && crashed && pinged && ioDone) break;
            Thread.sleep(300);
        }
    }

    @AfterAll
    static void cleanup(Lab lab) {
        DockerClient d = lab.node(1).docker();
        for (String name : ids.keySet())
            d.call("DELETE", "/containers/" + name + "?force=true", null, Duration.ofSeconds(30));
        d.networkRemove("cgnet");
    }

    @Test
    void everyFigureEqualsTheKernelsFilesAndTheEngineApi(Lab lab) throws Exception {
        DockerClient d = lab.node(1).docker();
        DockerCollector collector = new DockerCollector(d);
        TelemetryState state = TelemetryState.empty();
        collector.collect(state);
        Thread.sleep(1200);
        // idle containers: their counters do not move between our read, the files and the Engine API's; a
        // figure that did move (a health check, a page reclaimed) is read again, up to three times
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                compareOnce(d, collector, state);
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw last;
    }

    private void compareOnce(DockerClient d, DockerCollector collector, TelemetryState state) throws Exception {
        ObjectNode docker = collector.collect(state);
        // not cg-sick: its health check runs a process in it every second, moving its CPU and pids between the reads
        Map<String, JsonNode> apiStats =
                engineStats(d, List.of("cg-idle", "cg-net-a", "cg-net-b", "cg-host", "cg-limit", "cg-io"));
        Map<String, JsonNode> byName = new HashMap<>();
        docker.path("containers").forEach(c -> byName.put(c.path("name").asText(), c));
        for (var e : apiStats.entrySet()) {
            String name = e.getKey();
            JsonNode c = byName.get(name);
            JsonNode api = e.getValue();
            String id = ids.get(name);
            long pid = d.container(name).path("State").path("Pid").asLong();
            String v1 = "/docker/" + id;
            String where = name + ": " + c;
            // CPU
            long cpuNs = Math.round(c.path("cpu_usage_seconds_total").asDouble() * 1e9);
            assertWithinNs(
                    kernelLong("/sys/fs/cgroup/cpuacct" + v1 + "/cpuacct.usage"), cpuNs, "cpuacct.usage " + where);
            assertWithinNs(
                    api.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(),
                    cpuNs,
                    "Engine API total_usage " + where);
            assertTrue(
                    c.path("cpu_percent").isNumber() && c.path("cpu_percent").asDouble() >= 0,
                    "a rate against the previous sample " + where);
            // memory
            long usage = kernelLong("/sys/fs/cgroup/memory" + v1 + "/memory.usage_in_bytes");
            long inactive = keyed("/sys/fs/cgroup/memory" + v1 + "/memory.stat", "total_inactive_file");
            assertEquals(
                    inactive < usage ? usage - inactive : usage,
                    c.path("memory_usage_bytes").asLong(),
                    "memory.usage_in_bytes - total_inactive_file " + where);
            JsonNode mem = api.path("memory_stats");
            long apiInactive = mem.path("stats").path("total_inactive_file").asLong();
            assertEquals(
                    mem.path("usage").asLong() - apiInactive,
                    c.path("memory_usage_bytes").asLong(),
                    "Engine API usage - total_inactive_file " + where);
            assertEquals(
                    mem.path("limit").asLong(), c.path("memory_limit_bytes").asLong(), "Engine API limit " + where);
            // pids
            assertEquals(
                    kernelLong("/sys/fs/cgroup/pids" + v1 + "/pids.current"),
                    c.path("pids_current").asLong(),
                    "pids.current " + where);
            assertEquals(
                    api.path("pids_stats").path("current").asLong(),
                    c.path("pids_current").asLong(),
                    "Engine API pids " + where);
            // block IO
            long[] blk = blkio("/sys/fs/cgroup/blkio" + v1 + "/blkio.throttle.io_service_bytes_recursive");
            assertEquals(blk[0], c.path("block_read_bytes").asLong(), "blkio Read " + where);
            assertEquals(blk[1], c.path("block_write_bytes").asLong(), "blkio Write " + where);
            long apiRead = 0;
            long apiWrite = 0;
            for (JsonNode b : api.path("blkio_stats").path("io_service_bytes_recursive")) {
                if (b.path("op").asText().equalsIgnoreCase("read"))
                    apiRead += b.path("value").asLong();
                if (b.path("op").asText().equalsIgnoreCase("write"))
                    apiWrite += b.path("value").asLong();
            }
            assertEquals(apiRead, c.path("block_read_bytes").asLong(), "Engine API blkio read " + where);
            assertEquals(apiWrite, c.path("block_write_bytes").asLong(), "Engine API blkio write " + where);
            // network
            if (name.equals("cg-host")) {
                assertTrue(
                        c.path("network_rx_bytes").isNull()
                                && c.path("network_tx_bytes").isNull(),
                        "host network: null " + where);
                assertTrue(
                        api.path("networks").isMissingNode()
                                || api.path("networks").isNull(),
                        "the Engine API has none either: " + api.path("networks"));
            } else {
                long[] net = netDev(pid);
                assertEquals(net[0], c.path("network_rx_bytes").asLong(), "/proc/PID/net/dev rx " + where);
                assertEquals(net[1], c.path("network_tx_bytes").asLong(), "/proc/PID/net/dev tx " + where);
                long rx = 0;
                long tx = 0;
                for (JsonNode n : api.path("networks")) {
                    rx += n.path("rx_bytes").asLong();
                    tx += n.path("tx_bytes").asLong();
                }
                assertEquals(rx, c.path("network_rx_bytes").asLong(), "Engine API networks rx " + where);
                assertEquals(tx, c.path("network_tx_bytes").asLong(), "Engine API networks tx " + where);
            }
        }
        assertEquals(
                64L * 1024 * 1024,
                byName.get("cg-limit").path("memory_limit_bytes").asLong());
        assertTrue(
                byName.get("cg-net-b").path("network_tx_bytes").asLong() >= 980,
                "the pings were counted: " + byName.get("cg-net-b"));
        if (blockDevice != null) {
            assertTrue(
                    byName.get("cg-io").path("block_write_bytes").asLong() >= 2L << 20,
                    "2 MiB written with O_DIRECT: " + byName.get("cg-io"));
            assertTrue(
                    byName.get("cg-io").path("block_read_bytes").asLong() >= 2L << 20,
                    "2 MiB read with O_DIRECT: " + byName.get("cg-io"));
        }
        assertEquals("unhealthy", byName.get("cg-sick").path("health").asText());
        JsonNode crash = byName.get("cg-crash");
        assertTrue(crash.path("restart_count").asLong() >= 1, crash.toString());
        assertTrue(
                List.of("restarting", "running", "exited")
                        .contains(crash.path("state").asText()),
                crash.toString());
        assertEquals(1, docker.path("containers_unhealthy").asInt(), docker.toString());
    }

    @Test
    void theCgroupAndEngineApiSourcesGiveTheSameFigures(Lab lab) {
        DockerClient d = lab.node(1).docker();
        // CPU and memory move between two reads (cg-sick's health check runs every second inside the container's
        // cgroup and charges its process's pages there): the Engine API's figure must lie between a cgroup read
        // before and one after it. A health check that starts or ends inside that window can put the gauge out of
        // it, so the window is taken again, up to five times; a figure that differs for another reason (a file
        // read or subtracted differently) is out of every window and fails.
        AssertionError last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            ObjectNode before =
                    new DockerCollector(d, DockerCollector.StatsSource.CGROUP).collect(TelemetryState.empty());
            ObjectNode fromApi =
                    new DockerCollector(d, DockerCollector.StatsSource.API).collect(TelemetryState.empty());
            ObjectNode after =
                    new DockerCollector(d, DockerCollector.StatsSource.CGROUP).collect(TelemetryState.empty());
            try {
                assertSameFigures(before, fromApi, after);
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    private static Map<String, JsonNode> byName(ObjectNode docker) {
        Map<String, JsonNode> m = new HashMap<>();
        docker.path("containers").forEach(c -> m.put(c.path("name").asText(), c));
        return m;
    }

    private static void assertSameFigures(ObjectNode before, ObjectNode fromApi, ObjectNode fromCgroups) {
        Map<String, JsonNode> api = byName(fromApi);
        Map<String, JsonNode> first = byName(before);
        for (JsonNode c : fromCgroups.path("containers")) {
            JsonNode a = api.get(c.path("name").asText());
            JsonNode b = first.get(c.path("name").asText());
            if (!c.path("state").asText().equals("running")
                    || c.path("name").asText().equals("cg-crash")) continue;
            for (String f : List.of(
                    "memory_limit_bytes",
                    "network_rx_bytes",
                    "network_tx_bytes",
                    "block_read_bytes",
                    "block_write_bytes",
                    "pids_current")) {
                if (f.equals("pids_current") && c.path("name").asText().equals("cg-sick"))
                    continue; // its health check's process comes and goes
                assertEquals(
                        a.path(f), c.path(f), f + " of " + c.path("name").asText() + ": cgroup " + c + " api " + a);
            }
            double cpu = a.path("cpu_usage_seconds_total").asDouble();
            assertTrue(
                    b.path("cpu_usage_seconds_total").asDouble() - 1e-6 <= cpu
                            && cpu <= c.path("cpu_usage_seconds_total").asDouble() + 1e-6,
                    "CPU of the Engine API between the cgroup reads before and after it: " + b + " / api " + a + " / "
                            + c);
            // memory is a gauge: within the cgroup reads before and after, give or take a page-charge batch
            long mem = a.path("memory_usage_bytes").asLong();
            long lo = Math.min(
                    b.path("memory_usage_bytes").asLong(),
                    c.path("memory_usage_bytes").asLong());
            long hi = Math.max(
                    b.path("memory_usage_bytes").asLong(),
                    c.path("memory_usage_bytes").asLong());
            assertTrue(
                    lo - 64 * 1024 <= mem && mem <= hi + 64 * 1024,
                    "memory within the cgroup reads and a page-charge batch: cgroup " + b + " / " + c + " api " + a);
        }
    }

    /**
     * A timer run's collector (a new one each run, the state carried as the state file carries it): the second run
     * reads each running container's cgroup at the path the first kept in the state, not {@code /proc/PID/cgroup};
     * a kept path that is another container's is refused and one that no longer reads is resolved anew, neither
     * handed to the Engine API. (cg-crash, restarting, may go to the Engine API in any run: its process is gone
     * by the time its cgroup is looked for.)
     */
    @Test
    void aTimerRunReadsTheCgroupAtThePathTheRunBeforeKept(Lab lab) throws Exception {
        DockerClient d = lab.node(1).docker();
        TelemetryState state = TelemetryState.empty();
        Collected first = collect(new DockerCollector(d), state);
        assertTrue(first.log().contains("(0 at the previous sample's cgroup path)"), first.log());
        String idle = ids.get("cg-idle");
        String netA = ids.get("cg-net-a");
        assertEquals(
                "/docker/" + idle,
                kept(state, idle, "cgroup").asText(),
                "cgroupfs driver, v1: " + state.section("docker"));
        JsonNode limitBefore = findByName(first.docker(), "cg-limit");
        assertEquals(64L * 1024 * 1024, limitBefore.path("memory_limit_bytes").asLong(), limitBefore.toString());

        Collected second = collect(new DockerCollector(d), state);
        java.util.regex.Matcher atKept = AT_KEPT.matcher(second.log());
        assertTrue(atKept.find(), second.log());
        int n = Integer.parseInt(atKept.group(1));
        assertTrue(n >= 7, "the seven containers whose main process stays: " + second.log());
        assertEquals(
                limitBefore.path("memory_limit_bytes"),
                findByName(second.docker(), "cg-limit").path("memory_limit_bytes"));

        keep(state, idle, "cgroup", TextNode.valueOf("/docker/" + ids.get("cg-limit"))); // another container's
        keep(state, netA, "cgroup", TextNode.valueOf("/docker/" + netA + "-gone")); // names it, no such cgroup
        Collected third = collect(new DockerCollector(d), state);
        atKept = AT_KEPT.matcher(third.log());
        assertTrue(atKept.find(), third.log());
        assertEquals(n - 2, Integer.parseInt(atKept.group(1)), third.log());
        JsonNode idleNow = findByName(third.docker(), "cg-idle");
        assertNotEquals(
                limitBefore.path("memory_limit_bytes"),
                idleNow.path("memory_limit_bytes"),
                "cg-idle's own limit (none: the host's memory), not cg-limit's: " + idleNow);
        assertTrue(findByName(third.docker(), "cg-net-a")
                .path("cpu_usage_seconds_total")
                .isNumber());
        // read from their cgroups again (a container whose figures came from the Engine API keeps no path)
        assertEquals(
                "/docker/" + idle,
                kept(state, idle, "cgroup").asText(),
                state.section("docker").toString());
        assertEquals(
                "/docker/" + netA,
                kept(state, netA, "cgroup").asText(),
                state.section("docker").toString());
    }

    /**
     * A column of what the state keeps of a container for the next sample: its row in {@code docker.containers},
     * the column found by name in {@code docker.container_columns}.
     */
    static JsonNode kept(TelemetryState state, String id, String column) {
        JsonNode docker = state.section("docker");
        int k = column(docker, column);
        for (JsonNode row : docker.path("containers")) {
            if (row.path(0).asText().equals(id)) return row.path(k);
        }
        throw new AssertionError("no row kept for " + id + ": " + docker);
    }

    /** Sets a column of the container's kept row (a state from elsewhere, a stale path). */
    static void keep(TelemetryState state, String id, String column, JsonNode value) {
        JsonNode docker = state.section("docker");
        int k = column(docker, column);
        for (JsonNode row : docker.path("containers")) {
            if (row.path(0).asText().equals(id)) {
                ((ArrayNode) row).set(k, value);
                return;
            }
        }
        throw new AssertionError("no row kept for " + id + ": " + docker);
    }

    private static int column(JsonNode docker, String column) {
        JsonNode columns = docker.path("container_columns");
        for (int k = 0; k < columns.size(); k++) if (columns.path(k).asText().equals(column)) return k;
        throw new AssertionError("no column " + column + " in " + columns);
    }

    /**
     * What a run keeps goes through the state file (one row per running container, the boot id once) and the next
     * run, a new collector, knows every container whose main process stayed; a state written by an earlier version
     * (an object keyed by container id) or with other columns keeps nothing: every container is inspected again,
     * no rate for that one sample, and the state is written anew.
     */
    @Test
    void theRowsGoThroughTheStateFileAndAnotherVersionsStateKeepsNothing(Lab lab, @TempDir Path dir) throws Exception {
        DockerClient d = lab.node(1).docker();
        TelemetryState state = TelemetryState.load(dir);
        collect(new DockerCollector(d), state);
        state.save();
        JsonNode saved = lib.json.Json.parse(Files.readAllBytes(dir.resolve("state.json")))
                .path("docker");
        assertTrue(
                saved.path("containers").isArray() && saved.path("containers").size() >= 7, saved.toString());
        assertEquals(36, saved.path("boot").asText().length(), "the boot id, once: " + saved);

        Collected second = collect(new DockerCollector(d), TelemetryState.load(dir));
        java.util.regex.Matcher known = KNOWN.matcher(second.log());
        assertTrue(known.find() && Integer.parseInt(known.group(1)) >= 7, "known from the file: " + second.log());
        JsonNode idleAgain = findByName(second.docker(), "cg-idle");
        assertTrue(idleAgain.path("cpu_percent").isNumber(), "a rate against the saved counters: " + idleAgain);

        // the saved row of cg-idle, as an earlier version wrote it (an object keyed by id, the boot id inside) and
        // under columns named otherwise (cpu and system swapped): both would hold a known main process
        String idle = ids.get("cg-idle");
        TelemetryState saved2 = TelemetryState.load(dir);
        String row = null;
        for (JsonNode r : saved2.section("docker").path("containers"))
            if (r.path(0).asText().equals(idle)) row = r.toString();
        assertTrue(row != null, saved.toString());
        String boot = saved.path("boot").asText();
        String asObject = "{\"started\":" + kept(saved2, idle, "started") + ",\"boot\":\"" + boot + "\",\"pid\":"
                + kept(saved2, idle, "pid") + ",\"pid_start\":" + kept(saved2, idle, "pid_start") + ",\"restarts\":0,"
                + "\"host_network\":false,\"cpu\":" + kept(saved2, idle, "cpu") + ",\"system\":"
                + kept(saved2, idle, "system") + "}";
        for (String older : List.of(
                "{\"containers\":{\"" + idle + "\":" + asObject + "}}",
                "{\"boot\":\"" + boot + "\",\"containers\":[" + row + "],\"container_columns\":"
                        + "[\"id\",\"started\",\"pid\",\"pid_start\",\"restarts\",\"host_network\",\"system\",\"cpu\",\"cgroup\"]}")) {
            Files.writeString(dir.resolve("state.json"), "{\"docker\":" + older + "}");
            TelemetryState fromOlder = TelemetryState.load(dir);
            Collected c = collect(new DockerCollector(d), fromOlder);
            known = KNOWN.matcher(c.log());
            assertTrue(known.find() && known.group(1).equals("0"), "nothing known from " + older + ": " + c.log());
            assertTrue(
                    findByName(c.docker(), "cg-idle").path("cpu_percent").isNull(),
                    c.docker().toString());
            fromOlder.save();
            Collected after = collect(new DockerCollector(d), TelemetryState.load(dir));
            known = KNOWN.matcher(after.log());
            assertTrue(known.find() && Integer.parseInt(known.group(1)) >= 7, "rows again: " + after.log());
        }
    }

    private static final java.util.regex.Pattern KNOWN =
            java.util.regex.Pattern.compile("(\\d+) with the previous sample's main process");

    private static final java.util.regex.Pattern AT_KEPT =
            java.util.regex.Pattern.compile("\\((\\d+) at the previous sample's cgroup path\\)");

    /**
     * Run as a timer run's collector and as the daemon's ({@link DockerCollector#longLived}: cgroup files kept open,
     * this JVM's descriptors checked): the restart removes the kept files' cgroups, and the next sample must read
     * the new ones (opened anew), not fall back to the Engine API, and keep no more files than before.
     */
    @ParameterizedTest(name = "kept open: {0}")
    @ValueSource(booleans = {false, true})
    void aRestartBetweenTwoSamplesResetsTheRateAndARunningContainerIsInspectedOnce(boolean longLived, Lab lab)
            throws Exception {
        DockerClient d = lab.node(1).docker();
        String id = DockerCollectorLabTest.create(
                d, "cg-busy", DockerCollectorLabTest.spec("sh", "-c", "while :; do :; done"));
        try {
            DockerCollector collector = longLived ? new DockerCollector(d).longLived() : new DockerCollector(d);
            TelemetryState state = TelemetryState.empty();
            Collected first = collect(collector, state);
            assertTrue(first.log().contains(" inspected"), first.log());
            Thread.sleep(1500);
            Collected second = collect(collector, state);
            // every running container's main process is the first sample's: at most the restarting one is inspected
            // again
            assertTrue(
                    second.log().matches("(?s).*docker: \\d+ containers, [01] inspected, .*"),
                    "running containers are not inspected again: " + second.log());
            JsonNode busy = findByName(second.docker(), "cg-busy");
            List<String> keptBefore = openCgroupFiles(id);
            assertEquals(longLived ? 6 : 0, keptBefore.size(), "cgroup v1: six files of cg-busy kept: " + keptBefore);
            double pct = busy.path("cpu_percent").asDouble(-1);
            assertTrue(
                    pct > 5 && pct <= 100.0 * Runtime.getRuntime().availableProcessors() + 1,
                    "a busy loop's CPU %: " + busy);

            d.call("POST", "/containers/" + id + "/restart?t=0", null, Duration.ofSeconds(30));
            Collected restarted = collect(collector, state);
            JsonNode afterRestart = findByName(restarted.docker(), "cg-busy");
            assertTrue(
                    afterRestart.path("cpu_percent").isNull(),
                    "another StartedAt: no rate across the restart " + afterRestart);
            assertTrue(
                    afterRestart.path("cpu_usage_seconds_total").asDouble()
                            < busy.path("cpu_usage_seconds_total").asDouble(),
                    "the new run's counter started from zero " + afterRestart + " before: " + busy);
            assertTrue(
                    restarted.log().matches("(?s).*docker: \\d+ containers, [12] inspected, .*"),
                    "the restarted one is inspected: " + restarted.log());
            assertTrue(
                    !restarted.log().contains("from the Engine API's stats"),
                    "the new cgroup's files read, kept ones opened anew: " + restarted.log());
            assertEquals(keptBefore, openCgroupFiles(id), "the same files kept, each once");
            Thread.sleep(1200);
            JsonNode next = findByName(collect(collector, state).docker(), "cg-busy");
            assertTrue(
                    next.path("cpu_percent").isNumber()
                            && next.path("cpu_percent").asDouble() >= 0,
                    "a rate again, never negative " + next);

            // a counter that went down with the same StartedAt and boot (a state from elsewhere): null, not negative
            keep(state, id, "cpu", LongNode.valueOf(kept(state, id, "cpu").asLong() + 1_000_000_000_000L));
            JsonNode down = findByName(collect(collector, state).docker(), "cg-busy");
            assertTrue(down.path("cpu_percent").isNull(), down.toString());

            // gone: its kept files are closed by the next sample
            d.call("DELETE", "/containers/" + id + "?force=true", null, Duration.ofSeconds(30));
            collect(collector, state);
            assertEquals(List.of(), openCgroupFiles(id), "the removed container's files closed");
        } finally {
            try {
                d.call("DELETE", "/containers/" + id + "?force=true", null, Duration.ofSeconds(30));
            } catch (DockerApiException e) {
                if (e.status() != 404) throw e; // removed above
            }
        }
    }

    /**
     * The daemon's collector asks dockerd for the list again only after a container event: an exec (what every
     * health check makes) is no such event; a new container, a pause and a removal are, and each shows in the very
     * next sample.
     */
    @Test
    void theDaemonsCollectorListsAgainOnlyAfterAContainerEvent(Lab lab) throws Exception {
        DockerClient d = lab.node(1).docker();
        DockerCollector collector = new DockerCollector(d).longLived();
        String id = null;
        try {
            TelemetryState state = TelemetryState.empty();
            Collected first = collect(collector, state);
            assertTrue(!first.log().contains("the list of the previous sample"), first.log());
            Collected same = collect(collector, state);
            assertTrue(same.log().contains("the list of the previous sample (no container event since)"), same.log());
            assertEquals(first.docker().path("containers_total"), same.docker().path("containers_total"), same.log());

            String anyRunning = findByState(same.docker(), "running");
            var exec = lab.node(1).exec(List.of("docker", "exec", anyRunning, "true"), Duration.ofSeconds(30));
            assertEquals(0, exec.exitCode(), exec.stderr());
            Collected afterExec = collect(collector, state);
            assertTrue(afterExec.log().contains("the list of the previous sample"), "exec: " + afterExec.log());

            id = DockerCollectorLabTest.create(d, "cg-events", DockerCollectorLabTest.spec("sleep", "3600"));
            Collected created = collect(collector, state);
            assertTrue(!created.log().contains("the list of the previous sample"), created.log());
            assertEquals(
                    "running",
                    findByName(created.docker(), "cg-events").path("state").asText());
            assertEquals(
                    first.docker().path("containers_total").asInt() + 1,
                    created.docker().path("containers_total").asInt());

            d.call("POST", "/containers/" + id + "/pause", null, Duration.ofSeconds(30));
            assertEquals(
                    "paused",
                    findByName(collect(collector, state).docker(), "cg-events")
                            .path("state")
                            .asText());

            d.call("DELETE", "/containers/" + id + "?force=true", null, Duration.ofSeconds(30));
            id = null;
            Collected removed = collect(collector, state);
            assertEquals(
                    first.docker().path("containers_total"), removed.docker().path("containers_total"), removed.log());
        } finally {
            collector.close();
            if (id != null) d.call("DELETE", "/containers/" + id + "?force=true", null, Duration.ofSeconds(30));
        }
    }

    private static String findByState(JsonNode docker, String state) {
        for (JsonNode c : docker.path("containers"))
            if (c.path("state").asText().equals(state)) return c.path("name").asText();
        throw new AssertionError("no " + state + " container in " + docker);
    }

    /** This JVM's open files in the cgroups of container {@code id}, by path, sorted. */
    private static List<String> openCgroupFiles(String id) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/sys/fs/cgroup/") && target.contains(id)) out.add(target);
                } catch (IOException e) {
                    // closed while listed
                }
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void aRealCgroupV2RunInAPrivateMountNamespace(Lab lab) throws Exception {
        Tools.requireRoot("mounting cgroup2 in a private mount namespace");
        support.Need.that(lib.proc.ProcessRunner.onPath("unshare"), "unshare (util-linux) is not installed");
        Map<String, String> env = Map.of("DOCKER_HOST", lab.node(1).dockerHost());
        Path state = work.resolve("state");
        // the v2 hierarchy of this host (the one at /sys/fs/cgroup/unified, no controllers: the v1 ones hold them)
        // mounted over /sys/fs/cgroup for this process only: it sees a pure cgroup v2 host
        List<String> prefix = List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t cgroup2 none /sys/fs/cgroup && exec \"$@\"",
                "sh");
        // cpuacct.usage (v1) read before and after the run: a counter that moves (cg-sick's health check) while the
        // run reads cpu.stat (v2) must be seen between the two
        Map<String, Long> cpuBefore = new HashMap<>();
        for (Map.Entry<String, String> e : ids.entrySet()) {
            Path f = Path.of("/sys/fs/cgroup/cpuacct/docker/" + e.getValue() + "/cpuacct.usage");
            if (Files.exists(f)) cpuBefore.put(e.getKey(), kernelLong(f.toString()));
        }
        Cli.Result r = runIn(prefix, env, "--once", "--output", "-", "--state-dir", state.toString(), "--verbose");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("memory cgroup controller is off"), "the one-time hint: " + r.stderr());
        JsonNode p = PayloadSchema.parse(r.stdout().get(0));
        PayloadSchema.assertValid(p);
        assertTrue(
                r.stderr().contains("usage from cgroups") && !r.stderr().contains("from the Engine API's stats"),
                "every container from cgroup2, none from the Engine API: " + r.stderr());
        for (JsonNode c : p.path("metrics").path("docker").path("containers")) {
            if (!c.path("state").asText().equals("running")
                    || !ids.containsKey(c.path("name").asText())) continue;
            String id = ids.get(c.path("name").asText());
            long after = kernelLong("/sys/fs/cgroup/cpuacct/docker/" + id + "/cpuacct.usage");
            Long before = cpuBefore.get(c.path("name").asText());
            double v2 = c.path("cpu_usage_seconds_total").asDouble();
            // cpu.stat usage_usec (v2, in us) and cpuacct.usage (v1, in ns) count the same run time, within 10 ms
            // (seen: an idle
            // container 0.069189 s against 0.069464 s: the two are accounted apart)
            assertTrue(
                    before != null && before / 1e9 - 0.01 <= v2 && v2 <= after / 1e9 + 0.01,
                    "cpu.stat usage_usec between cpuacct.usage before (" + before + " ns) and after (" + after
                            + " ns) the run: " + c);
            assertTrue(
                    c.path("memory_usage_bytes").isNull()
                            && c.path("memory_limit_bytes").isNull(),
                    "no memory controller on this v2: null " + c);
            assertTrue(
                    c.path("pids_current").isNull()
                            && c.path("block_read_bytes").isNull(),
                    "no pids/io controller on this v2: null " + c);
        }
        Cli.Result again = runIn(prefix, env, "--once", "--output", "-", "--state-dir", state.toString());
        assertTrue(
                !again.stderr().contains("memory cgroup controller is off"),
                "the hint is shown once per boot: " + again.stderr());
        assertTrue(
                cpuPercentOf(
                                PayloadSchema.parse(again.stdout().get(0))
                                        .path("metrics")
                                        .path("docker"),
                                "cg-idle")
                        >= 0,
                "a rate from cpu.stat");
    }

    // ------------------------------------------------------------------ helpers

    record Collected(ObjectNode docker, String log) {}

    /** One collect with --verbose's debug lines captured. */
    private static Collected collect(DockerCollector collector, TelemetryState state) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.configure(Log.Level.VERBOSE);
        Log.redirect(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            ObjectNode docker = collector.collect(state);
            return new Collected(docker, err.toString(StandardCharsets.UTF_8));
        } finally {
            Log.reset();
        }
    }

    private static JsonNode findByName(JsonNode docker, String name) {
        for (JsonNode c : docker.path("containers")) if (c.path("name").asText().equals(name)) return c;
        throw new AssertionError("no container " + name + " in " + docker);
    }

    private static double cpuPercentOf(JsonNode docker, String name) {
        JsonNode c = findByName(docker, name);
        return c.path("cpu_percent").isNumber() ? c.path("cpu_percent").asDouble() : -1;
    }

    private Cli.Result runIn(List<String> prefix, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder pb = Cli.builder(env, out, err, args);
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(pb.command());
        pb.command(cmd);
        Process p = pb.start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("telemetry did not finish in 120 s");
        }
        return new Cli.Result(p.exitValue(), Cli.lines(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** One-shot stats of every named container at once (dockerd answers them all at its next tick). */
    static Map<String, JsonNode> engineStats(DockerClient d, List<String> names) {
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        try {
            Map<String, CompletableFuture<JsonNode>> f = new LinkedHashMap<>();
            for (String n : names) f.put(n, CompletableFuture.supplyAsync(() -> d.containerStats(n), pool));
            Map<String, JsonNode> out = new LinkedHashMap<>();
            f.forEach((n, v) -> out.put(n, v.join()));
            return out;
        } finally {
            pool.shutdown();
        }
    }

    static long kernelLong(String path) throws IOException {
        return Long.parseLong(Files.readString(Path.of(path)).strip());
    }

    static long keyed(String path, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of(path))) {
            String[] f = line.split(" ");
            if (f[0].equals(key)) return Long.parseLong(f[1]);
        }
        throw new AssertionError(key + " not in " + path);
    }

    static long[] blkio(String path) throws IOException {
        long[] rw = new long[2];
        for (String line : Files.readAllLines(Path.of(path))) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[1].equals("Read")) rw[0] += Long.parseLong(f[2]);
            if (f.length == 3 && f[1].equals("Write")) rw[1] += Long.parseLong(f[2]);
        }
        return rw;
    }

    /** rx and tx bytes of every interface but lo in the network namespace of {@code pid}. */
    static long[] netDev(long pid) throws IOException {
        long[] rxTx = new long[2];
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/dev"));
        for (String line : lines.subList(2, lines.size())) {
            String[] nameAndRest = line.split(":", 2);
            if (nameAndRest[0].strip().equals("lo")) continue;
            String[] f = nameAndRest[1].strip().split("\\s+");
            rxTx[0] += Long.parseLong(f[0]);
            rxTx[1] += Long.parseLong(f[8]);
        }
        return rxTx;
    }

    /** The block device holding {@code dir} (the lab's data roots), when it is one, else null. */
    static String blockDeviceOf(Path dir) throws IOException {
        String best = null;
        int bestLen = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            String mp = f[4];
            if (dash < 0 || dash + 2 >= f.length) continue;
            if ((dir.toString() + "/").startsWith(mp.equals("/") ? "/" : mp + "/") && mp.length() > bestLen) {
                bestLen = mp.length();
                best = f[dash + 2];
            }
        }
        return best != null && best.startsWith("/dev/") && Files.exists(Path.of(best)) ? best : null;
    }

    /** Within 100 ns: the payload carries seconds as a double; JUnit's assertEquals with a delta would compare as float. */
    private static void assertWithinNs(long expected, long actual, String message) {
        assertTrue(
                Math.abs(expected - actual) <= 100,
                () -> message + ": expected " + expected + " ns, got " + actual + " ns");
    }
}
