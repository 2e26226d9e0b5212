package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lib.telemetry.CgroupMounts;
import lib.telemetry.ContainerCgroups;
import lib.telemetry.ContainerUsage;
import lib.telemetry.KernelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContainerCgroups} on directory trees laid out as the kernel lays them out for each kind of host
 * (tests/resources/cgroup, whose README names the source of every layout): cgroup v1 captured from the lab
 * (cgroupfs driver, hybrid), v1 with the systemd driver, v2 with the systemd and cgroupfs drivers, v2 without
 * the memory controller (Raspberry Pi OS) and rootless Docker.
 */
class ContainerCgroupsTest {
    static final String ID1 = "3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
    static final String ID2 = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    /** MemTotal of the hand-made trees (8061440 kB): the limit of a container without one. */
    static final long HOST_MEMORY = 8061440L * 1024;
    /** user..softirq of the hand-made trees' /proc/stat, in ns. */
    static final long HAND_SYSTEM = (2255L + 34 + 2290 + 22625563 + 6290 + 127 + 456) * 10_000_000L;

    static ContainerCgroups tree(String name) {
        return new ContainerCgroups(new KernelFiles(PayloadSchema.basedir()
                .resolve("tests/resources/cgroup/" + name)
                .toString()));
    }

    static ContainerUsage usage(ContainerCgroups cg, long pid, String id, boolean hostNetwork) {
        ContainerCgroups.Dirs d = cg.resolve(pid, id);
        assertNotNull(d, "cgroup of pid " + pid + " resolved");
        return cg.read(d, pid, hostNetwork, cg.systemCpuNanos(), cg.onlineCpus());
    }

    @Test
    void v1FromTheLabCgroupfsDriverHybridHost() {
        ContainerCgroups cg = tree("v1-lab");
        assertEquals(
                CgroupMounts.Version.V1,
                cg.mounts().version(),
                "hybrid (v1 controllers + an empty cgroup2) counts as v1");
        String n2 = "afe69fb910dbe80e225a80eb8ed1fc5161d90fdcecf94c722301ece73decaae3";
        ContainerCgroups.Dirs d = cg.resolve(27736, n2);
        assertEquals(
                new ContainerCgroups.Dirs(
                        false,
                        "/sys/fs/cgroup/cpuacct/docker/" + n2,
                        "/sys/fs/cgroup/memory/docker/" + n2,
                        "/sys/fs/cgroup/blkio/docker/" + n2,
                        "/sys/fs/cgroup/pids/docker/" + n2,
                        "/docker/" + n2),
                d);
        ContainerUsage u = usage(cg, 27736, n2, false);
        assertEquals(70532288L, u.cpuNanos());
        assertEquals(
                (130144L + 43356 + 1269079 + 739 + 1036) * 10_000_000L,
                u.systemNanos(),
                "the first seven fields of /proc/stat's cpu line");
        assertEquals(2, u.onlineCpus());
        assertEquals(315392L, u.memoryBytes());
        assertEquals(24683756L * 1024, u.memoryLimit(), "no limit (2^63 rounded to a page) reads as the host's memory");
        assertEquals(0L, u.blockReadBytes());
        assertEquals(0L, u.blockWriteBytes());
        assertEquals(1L, u.pids());
        assertEquals(3060L, u.networkRxBytes(), "eth0 only: lo is not counted");
        assertEquals(2044L, u.networkTxBytes());

        String io2 = "5896dc912b360c33730c7b846b0523e009ed1ca25a17fe22764351e9979c39a5";
        ContainerUsage io = usage(cg, 29504, io2, false);
        assertEquals(83971878L, io.cpuNanos());
        assertEquals(348160L, io.memoryBytes());
        assertEquals(4194304L, io.blockReadBytes(), "Read lines only (not Sync, Total)");
        assertEquals(4194304L, io.blockWriteBytes());
        assertEquals(0L, io.networkRxBytes(), "only lo: nothing received");
        assertEquals(718617L, cg.processStart(29504));
        assertEquals("61206955-dc72-40ff-9b6f-921dbca24531", cg.bootId());
        assertTrue(cg.memoryControllerOn());
    }

    @Test
    void v1SystemdDriverWithCoMountedCpuAndCpuacct() {
        ContainerCgroups cg = tree("v1-systemd");
        ContainerCgroups.Dirs d = cg.resolve(4242, ID1);
        String scope = "/system.slice/docker-" + ID1 + ".scope";
        assertEquals("/sys/fs/cgroup/cpu,cpuacct" + scope, d.cpu());
        assertEquals("/sys/fs/cgroup/memory" + scope, d.memory());
        ContainerUsage u = usage(cg, 4242, ID1, false);
        assertEquals(5123456789L, u.cpuNanos());
        assertEquals(HAND_SYSTEM, u.systemNanos());
        assertEquals(4, u.onlineCpus(), "0-3");
        assertEquals(16777216L - 9437184L, u.memoryBytes(), "usage_in_bytes - total_inactive_file");
        assertEquals(268435456L, u.memoryLimit());
        assertEquals(1048576L + 2097152L, u.blockReadBytes(), "summed over both devices");
        assertEquals(524288L, u.blockWriteBytes());
        assertEquals(7L, u.pids());
        assertEquals(12884901888L + 500L, u.networkRxBytes(), "eth0 (no blank after the colon) and eth1");
        assertEquals(3221225472L + 700L, u.networkTxBytes());
        assertEquals(91234L, cg.processStart(4242), "a command name with a blank");

        ContainerUsage statOnly = usage(cg, 4343, ID2, false);
        assertEquals(
                (250L + 50L) * 10_000_000L,
                statOnly.cpuNanos(),
                "cpuacct.stat user + system ticks when cpuacct.usage is missing");
        assertEquals(HOST_MEMORY, statOnly.memoryLimit());
        assertEquals(0L, statOnly.networkRxBytes());
    }

    @Test
    void v2SystemdDriver() {
        ContainerCgroups cg = tree("v2-systemd");
        assertEquals(CgroupMounts.Version.V2, cg.mounts().version());
        ContainerCgroups.Dirs d = cg.resolve(5151, ID1);
        String dir = "/sys/fs/cgroup/system.slice/docker-" + ID1 + ".scope";
        assertEquals(new ContainerCgroups.Dirs(true, dir, dir, dir, dir, "/system.slice/docker-" + ID1 + ".scope"), d);
        ContainerUsage u = usage(cg, 5151, ID1, false);
        assertEquals(7654321000L, u.cpuNanos(), "cpu.stat usage_usec x 1000");
        assertEquals(25165824L - 8388608L, u.memoryBytes(), "memory.current - inactive_file");
        assertEquals(HOST_MEMORY, u.memoryLimit(), "memory.max 'max'");
        assertEquals(1459200L + 90430464L, u.blockReadBytes(), "io.stat rbytes of both devices");
        assertEquals(314773504L + 299008000L, u.blockWriteBytes());
        assertEquals(12L, u.pids());
        assertTrue(cg.memoryControllerOn());
    }

    @Test
    void v2CgroupfsDriverWithALimitAndTheHostNetwork() {
        ContainerCgroups cg = tree("v2-cgroupfs");
        assertEquals("/sys/fs/cgroup/docker/" + ID1, cg.resolve(6161, ID1).cpu());
        ContainerUsage u = usage(cg, 6161, ID1, true);
        assertEquals(1_000_000_000L, u.cpuNanos());
        assertEquals(10485760L, u.memoryBytes(), "inactive_file above usage: usage as it is (the docker CLI's rule)");
        assertEquals(268435456L, u.memoryLimit());
        assertEquals(0L, u.blockReadBytes(), "an empty io.stat: no IO yet");
        assertNull(u.networkRxBytes(), "host network: its interfaces are the host's, not the container's");
        assertNull(u.networkTxBytes());
    }

    @Test
    void v2WithoutTheMemoryControllerAsOnRaspberryPiOs() {
        ContainerCgroups cg = tree("v2-pi-nomemory");
        ContainerUsage u = usage(cg, 777, ID2, false);
        assertEquals(250_000_000L, u.cpuNanos(), "cpu.stat exists whether the cpu controller is enabled or not");
        assertNull(u.memoryBytes(), "no memory controller: null, not 0");
        assertNull(u.memoryLimit());
        assertEquals(4096L, u.blockReadBytes());
        assertEquals(8192L, u.blockWriteBytes());
        assertEquals(1L, u.pids());
        assertFalse(cg.memoryControllerOn(), "cgroup.controllers lacks memory: the one-time hint is due");
    }

    @Test
    void v2RootlessDockerUnderTheUsersSystemd() {
        ContainerCgroups cg = tree("v2-rootless");
        assertEquals(
                "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" + ID2 + ".scope",
                cg.resolve(8181, ID2).cpu());
        ContainerUsage u = usage(cg, 8181, ID2, false);
        assertEquals(42_000_000L, u.cpuNanos());
        assertEquals(2097152L, u.memoryBytes());
        assertNull(u.blockReadBytes(), "io not delegated to the user: no io.stat, null");
        assertNull(u.blockWriteBytes());
        assertEquals(2L, u.pids());
    }

    @Test
    void aProcessStartAfterACommandNameWithParentheses(@TempDir Path root) throws IOException {
        // /proc/PID/stat's second field is the command name in parentheses, as the process set it (prctl)
        Path stat = Files.createDirectories(root.resolve("proc/4343")).resolve("stat");
        Files.writeString(
                stat, "4343 (a) b (c) ) S 1 4343 4343 0 -1 4194560 1049 90 0 0 3 3 0 0 20 0 1 0 777123 1 2\n");
        ContainerCgroups cg = new ContainerCgroups(new KernelFiles(root.toString()));
        assertEquals(777123L, cg.processStart(4343), "field 22, counted after the last ')'");
        Files.writeString(stat, "4343 (no closing parenthesis S 1\n");
        assertEquals(-1L, cg.processStart(4343));
    }

    @Test
    void refusesTheRootCgroupAnotherContainersPathAndAMissingProcess() {
        assertNull(tree("v2-systemd").resolve(99, ""), "0::/ is the root cgroup");
        assertNull(tree("v1-systemd").resolve(98, ""), "the v1 root cgroups: never the root's memory.stat");
        assertNull(
                tree("v2-systemd").resolve(5151, ID2),
                "the path must name the container (a pid from another namespace, or reused)");
        assertNull(tree("v2-systemd").resolve(12345, ID1), "no such process");
        assertEquals(-1, tree("v2-systemd").processStart(12345));
    }

    /**
     * A timer run keeps {@link ContainerCgroups.Dirs#path} in its state: the next run's {@link ContainerCgroups#at}
     * gives the directories {@code /proc/PID/cgroup} would give, on every layout, and refuses what resolve refuses.
     */
    @Test
    void theKeptCgroupPathGivesWhatResolveGives() {
        String n2 = "afe69fb910dbe80e225a80eb8ed1fc5161d90fdcecf94c722301ece73decaae3";
        record Case(String tree, long pid, String id) {}
        for (Case k : List.of(
                new Case("v1-lab", 27736, n2),
                new Case("v1-systemd", 4242, ID1),
                new Case("v2-systemd", 5151, ID1),
                new Case("v2-cgroupfs", 6161, ID1),
                new Case("v2-pi-nomemory", 777, ID2),
                new Case("v2-rootless", 8181, ID2))) {
            ContainerCgroups.Dirs d = tree(k.tree()).resolve(k.pid(), k.id());
            assertNotNull(d, k.toString());
            assertNotNull(d.path(), "every controller at the same path: " + k);
            assertTrue(d.path().contains(k.id()), d.path());
            // a new reader (the next run), without the process's /proc/PID/cgroup
            assertEquals(d, tree(k.tree()).at(d.path(), k.id()), k.toString());
        }
        ContainerCgroups.Dirs d1 = tree("v1-systemd").resolve(4242, ID1);
        assertNull(tree("v1-systemd").at(d1.path(), ID2), "another container's path");
        assertNull(tree("v2-systemd").at("/", ""), "the root cgroup");
        assertNull(tree("v1-systemd").at("/", ""), "the v1 root cgroups");
        assertNull(tree("v1-systemd").at(null, ID1));
    }

    @Test
    void aCgroup2MountedOverV1InAPrivateMountNamespaceHidesTheV1Hierarchies() {
        // /proc/self/mountinfo inside `unshare -m sh -c 'mount -t cgroup2 none /sys/fs/cgroup'` on the lab's host
        List<String> overMounted = List.of(
                "313 312 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "314 313 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
                "315 313 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
                "338 313 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "344 313 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
                "375 313 0:37 / /sys/fs/cgroup rw,relatime - cgroup2 none rw");
        CgroupMounts v2 = CgroupMounts.parse(overMounted);
        assertEquals(CgroupMounts.Version.V2, v2.version(), "the v1 mounts under /sys/fs/cgroup are hidden");
        assertEquals("/sys/fs/cgroup", v2.v2Mountpoint());
        assertEquals("/sys/fs/cgroup/docker/x", v2.dir(null, "/docker/x"));
        assertNull(v2.dir("memory", "/docker/x"));
    }

    @Test
    void aMountWhoseRootIsNotTheHierarchysRoot() {
        // a cgroup namespace's view: the mount's root is the namespace's cgroup
        CgroupMounts m = CgroupMounts.parse(List.of(
                "35 30 0:31 /docker/abc /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "36 30 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct"));
        assertEquals("/sys/fs/cgroup/memory/sub", m.dir("memory", "/docker/abc/sub"));
        assertEquals("/sys/fs/cgroup/memory", m.dir("memory", "/docker/abc"));
        assertNull(m.dir("memory", "/docker/abcdef"), "not below the mount's root");
        assertNull(m.dir("memory", "/other"));
        assertEquals("/sys/fs/cgroup/cpu,cpuacct/docker/abc", m.dir("cpuacct", "/docker/abc"));
        assertEquals("/sys/fs/cgroup/cpu,cpuacct/docker/abc", m.dir("cpu", "/docker/abc"));
        assertNull(m.dir("blkio", "/docker/abc"), "blkio not mounted");
        assertEquals(
                CgroupMounts.Version.NONE,
                CgroupMounts.parse(List.of("26 1 254:0 / / rw - ext4 /dev/vda rw"))
                        .version());
    }
}
