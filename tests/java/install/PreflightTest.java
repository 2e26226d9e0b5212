package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.install.InstallOptions;
import lib.install.InstallState;
import lib.install.PhasePlan;
import lib.install.Preflight;
import lib.install.TargetRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preflight on scratch /proc and /sys trees: the memory cgroup, resources against codex.yaml, the clock. */
class PreflightTest {
    @TempDir
    Path dir;

    PhasePlan plan(TestHost h) {
        var c = h.context(InstallOptions.defaults());
        new Preflight().validate(c);
        return new Preflight().plan(c);
    }

    @Test
    void cgroupV2WithMemoryIsFine() throws Exception {
        TestHost h = new TestHost(dir);
        Files.delete(h.live.resolve("proc/cgroups"));
        TestHost.write(
                h.live.resolve("sys/fs/cgroup/cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        assertTrue(
                plan(h).notes().contains("memory cgroup: present (cgroup v2)"),
                plan(h).notes().toString());
    }

    @Test
    void noMemoryCgroupOnARaspberryPiIsExit3WithTheCmdlineHint() {
        TestHost h = new TestHost(dir);
        TestHost.write(
                h.live.resolve("proc/cgroups"),
                "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\t4\t1\nmemory\t0\t1\t0\n");
        TestHost.write(h.live.resolve("proc/device-tree/model"), "Raspberry Pi 4 Model B Rev 1.5\u0000");
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> plan(h));
        assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
        assertEquals(
                "the memory cgroup is not available, so Docker cannot limit container memory: on a Raspberry Pi add "
                        + "'cgroup_enable=memory cgroup_memory=1' to the single line of /boot/firmware/cmdline.txt (/boot/cmdline.txt before Bookworm) and reboot",
                e.getMessage());
    }

    @Test
    void belowTheMinimumIsExit3BelowTheRecommendationAWarning() {
        TestHost h = new TestHost(dir);
        TestHost.write(h.live.resolve("proc/meminfo"), "MemTotal:         393216 kB\n");
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> plan(h));
        assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
        assertEquals("this host is below resources.minimum of codex.yaml: 384 MiB memory < 512", e.getMessage());

        TestHost.write(h.live.resolve("proc/meminfo"), "MemTotal:        1048576 kB\n");
        PhasePlan p = plan(h);
        assertTrue(
                p.warnings().contains("1024 MiB memory, below the recommended 2048"),
                p.warnings().toString());
        assertEquals(PhasePlan.Status.WARNING, p.status(false));
    }

    @Test
    void aClockInThePastIsExit3() {
        TestHost h = new TestHost(dir);
        h.clock = Clock.fixed(Instant.parse("1970-01-01T00:00:42Z"), ZoneOffset.UTC);
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> plan(h));
        assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
        assertTrue(e.getMessage().startsWith("the clock reads 1970-01-01T00:00:42Z"), e.getMessage());
    }

    @Test
    void anUnreachableManagementNodeIsAWarning() {
        TestHost h = new TestHost(dir);
        h.env.put("MGMT_NODE_URL", "http://127.0.0.1:9");
        PhasePlan p = plan(h);
        assertTrue(
                p.warnings().get(0).startsWith("management node http://127.0.0.1:9 is not reachable (TCP 9: "),
                p.warnings().toString());
    }

    @Test
    void aCorruptInstallStateIsExit3() {
        TestHost h = new TestHost(dir);
        TestHost.write(h.root.resolve("var/lib/pr-cybr/install-state.json"), "{\"schema_version\": 1, \"files\": {");
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> InstallState.load(new TargetRoot(h.root)));
        assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
        assertTrue(
                e.getMessage().startsWith(h.root + "/var/lib/pr-cybr/install-state.json: unreadable install state ("),
                e.getMessage());
    }
}
