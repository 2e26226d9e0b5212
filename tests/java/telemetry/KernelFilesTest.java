package telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import lib.telemetry.KernelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KernelFiles with files kept open (the daemon's way): the same bytes as a fresh open, new content seen on the
 * next read, /proc/PID/ files never kept, unread files closed, a bound on how many are kept. The kernel's own
 * behaviour (a removed cgroup's kept file fails with ENODEV and is opened anew) is checked on real cgroups in
 * ContainerCgroupsLabTest.
 */
class KernelFilesTest {
    @TempDir
    Path root;

    Path write(String path, String text) throws IOException {
        Path f = root.resolve(path.substring(1));
        Files.createDirectories(f.getParent());
        // in place, as the kernel changes a file's content: the same inode
        Files.writeString(
                f, text, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return f;
    }

    @Test
    void aKeptFileIsReadAgainWithItsNewContentThroughOneOpenFile() throws IOException {
        KernelFiles files = new KernelFiles(root.toString()).keepOpen();
        write("/sys/fs/cgroup/cpuacct/docker/abc/cpuacct.usage", "123456789\n");
        assertEquals(123456789L, files.number("/sys/fs/cgroup/cpuacct/docker/abc/cpuacct.usage"));
        assertEquals(1, files.keptOpen());
        write("/sys/fs/cgroup/cpuacct/docker/abc/cpuacct.usage", "42\n");
        assertEquals(42L, files.number("/sys/fs/cgroup/cpuacct/docker/abc/cpuacct.usage"));
        assertEquals(1, files.keptOpen());
        write("/sys/fs/cgroup/memory/docker/abc/memory.stat", "cache 0\ntotal_inactive_file 4096\n");
        assertEquals(4096L, files.keyed("/sys/fs/cgroup/memory/docker/abc/memory.stat", "total_inactive_file"));
        assertEquals(2, files.keptOpen());
    }

    @Test
    void aProcessesFilesAreOpenedEachTime() throws IOException {
        KernelFiles files = new KernelFiles(root.toString()).keepOpen();
        write("/proc/4242/net/dev", "Inter-|\n face |\n  eth0: 1 2 3 4 5 6 7 8 9 10\n");
        write("/proc/4242/stat", "4242 (sleep) S 1 2 3\n");
        write("/proc/stat", "cpu  1 2 3 4 5 6 7 0 0 0\n");
        assertTrue(files.load("/proc/4242/net/dev"));
        assertTrue(files.load("/proc/4242/stat"));
        assertEquals(0, files.keptOpen(), "a kept /proc/PID/net/dev would hold its network namespace");
        assertTrue(files.load("/proc/stat"));
        assertEquals(1, files.keptOpen());
    }

    @Test
    void filesNotReadSinceTheLastSweepAreClosed() throws IOException {
        KernelFiles files = new KernelFiles(root.toString()).keepOpen();
        write("/sys/fs/cgroup/pids/docker/a/pids.current", "3\n");
        write("/sys/fs/cgroup/pids/docker/b/pids.current", "5\n");
        assertEquals(3L, files.number("/sys/fs/cgroup/pids/docker/a/pids.current"));
        assertEquals(5L, files.number("/sys/fs/cgroup/pids/docker/b/pids.current"));
        files.closeUnread();
        assertEquals(2, files.keptOpen(), "both read since the start");
        assertEquals(3L, files.number("/sys/fs/cgroup/pids/docker/a/pids.current"));
        files.closeUnread();
        assertEquals(1, files.keptOpen(), "b was not read in the last round");
        files.closeUnread();
        assertEquals(0, files.keptOpen());
        assertEquals(5L, files.number("/sys/fs/cgroup/pids/docker/b/pids.current"), "opened again when needed");

        KernelFiles plain = new KernelFiles(root.toString());
        assertEquals(5L, plain.number("/sys/fs/cgroup/pids/docker/b/pids.current"));
        assertEquals(0, plain.keptOpen(), "without keepOpen every read closes its file");
    }

    @Test
    void aMissingFileIsNotKeptAndReadsAsAbsent() {
        KernelFiles files = new KernelFiles(root.toString()).keepOpen();
        assertNull(files.number("/sys/fs/cgroup/pids/docker/gone/pids.current"));
        assertFalse(files.load("/sys/fs/cgroup/pids/docker/gone/pids.current"));
        assertEquals(0, files.keptOpen());
    }

    @Test
    void aFileLargerThanTheBufferIsReadWhole() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 40_000; i++) sb.append("line ").append(i).append('\n');
        write("/proc/big", sb.toString());
        KernelFiles files = new KernelFiles(root.toString()).keepOpen();
        assertEquals(sb.toString(), files.text("/proc/big"));
        assertEquals(sb.toString(), files.text("/proc/big"), "again through the kept file");
    }

    @Test
    void aRealSeqFileOfManyPagesIsReadWholeAgainAndAgain() throws IOException {
        // a seq_file gives at most a page a read: a reader that stopped at a short read would get the first page
        // of /proc/kallsyms only. Its content changes only when a module loads: compared up to three times.
        KernelFiles files = KernelFiles.host().keepOpen();
        for (int read = 0; read < 2; read++) {
            byte[] fresh;
            byte[] kept;
            int attempt = 0;
            do {
                fresh = Files.readAllBytes(Path.of("/proc/kallsyms"));
                kept = files.text("/proc/kallsyms").getBytes(StandardCharsets.ISO_8859_1);
            } while (!java.util.Arrays.equals(fresh, kept) && ++attempt < 3);
            assertTrue(fresh.length > 3 * 4096, "kallsyms spans pages: " + fresh.length);
            assertArrayEquals(fresh, kept, "read " + read);
        }
        assertEquals(1, files.keptOpen());
    }

    @Test
    void pastTheBoundFilesAreReadButNotKept() throws IOException {
        KernelFiles files = new KernelFiles(root.toString()).keepOpen();
        int n = 520;
        for (int i = 0; i < n; i++) write("/sys/fs/cgroup/pids/docker/c" + i + "/pids.current", i + "\n");
        for (int i = 0; i < n; i++)
            assertEquals((long) i, files.number("/sys/fs/cgroup/pids/docker/c" + i + "/pids.current"));
        assertEquals(512, files.keptOpen());
    }
}
