package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lib.host.Arch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler files below are copied byte for byte from /proc/sys/fs/binfmt_misc on Debian 12 after
 * registering /usr/lib/binfmt.d/qemu-aarch64.conf and qemu-arm.conf (qemu-user-static 1:7.2); the
 * extension-based one follows the kernel's Documentation/admin-guide/binfmt-misc.rst.
 */
class BinfmtTest {
    static final String AARCH64 = """
            enabled
            interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
            flags: POF
            offset 0
            magic 7f454c460201010000000000000000000200b700
            mask ffffffffffffff00fffffffffffffffffeffffff
            """;
    static final String ARM = """
            enabled
            interpreter /usr/libexec/qemu-binfmt/arm-binfmt-P
            flags: POF
            offset 0
            magic 7f454c4601010100000000000000000002002800
            mask ffffffffffffff00fffffffffffffffffeffffff
            """;
    static final String PYTHON = """
            enabled
            interpreter /usr/bin/python3.11
            flags:\s
            offset 0
            magic a70d0d0a
            """;
    static final String EXTENSION = """
            enabled
            interpreter /usr/bin/wine
            flags:\s
            extension .exe
            """;

    @TempDir
    Path dir;

    Binfmt binfmt;

    @BeforeEach
    void mounted() throws IOException {
        Files.writeString(dir.resolve("register"), "");
        Files.writeString(dir.resolve("status"), "enabled\n");
        binfmt = new Binfmt(dir);
    }

    void entry(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void parsesTheKernelsFormat() {
        Binfmt.Entry e = Binfmt.parse("qemu-aarch64", AARCH64);
        assertNotNull(e);
        assertTrue(e.enabled());
        assertEquals("/usr/libexec/qemu-binfmt/aarch64-binfmt-P", e.interpreter());
        assertEquals("POF", e.flags());
        assertEquals(20, e.magic().length);
        assertEquals(20, e.mask().length);
        assertNull(Binfmt.parse("wine", EXTENSION));
    }

    @Test
    void foundByWhatItMatchesNotByName() throws IOException {
        entry("python3.11", PYTHON);
        entry("status-like-name", ARM);
        entry("aarch64", AARCH64);
        Binfmt.Check c = binfmt.check(Arch.ARM64);
        assertEquals(Binfmt.State.OK, c.state());
        assertEquals("aarch64", c.entry().name());
        assertEquals("status-like-name", binfmt.check(Arch.ARMV7).entry().name());
        assertEquals(Binfmt.State.MISSING, binfmt.check(Arch.AMD64).state());
    }

    @Test
    void the32BitArmHandlerDoesNotRunArm64AndViceVersa() throws IOException {
        entry("qemu-arm", ARM);
        assertEquals(Binfmt.State.MISSING, binfmt.check(Arch.ARM64).state());
        assertTrue(binfmt.check(Arch.ARMV7).ok());
        Files.delete(dir.resolve("qemu-arm"));
        entry("qemu-aarch64", AARCH64);
        assertEquals(Binfmt.State.MISSING, binfmt.check(Arch.ARMV7).state());
    }

    @Test
    void disabledOrWithoutFixBinaryIsNotGoodEnoughForContainers() throws IOException {
        entry("qemu-aarch64", AARCH64.replace("enabled", "disabled"));
        assertEquals(Binfmt.State.DISABLED, binfmt.check(Arch.ARM64).state());
        entry("qemu-aarch64", AARCH64.replace("flags: POF", "flags: P"));
        Binfmt.Check c = binfmt.check(Arch.ARM64);
        assertEquals(Binfmt.State.NO_FIX_BINARY, c.state());
        assertTrue(binfmt.problem(c).contains("lacks the F (fix binary) flag"), binfmt.problem(c));
        assertTrue(binfmt.problem(c).contains("--setup-qemu"));
    }

    @Test
    void aGoodHandlerWinsOverABadOne() throws IOException {
        entry("a-old", AARCH64.replace("flags: POF", "flags: P"));
        entry("qemu-aarch64", AARCH64);
        assertTrue(binfmt.check(Arch.ARM64).ok());
    }

    @Test
    void notMountedAndGloballyDisabled() throws IOException {
        entry("qemu-aarch64", AARCH64);
        Files.writeString(dir.resolve("status"), "disabled\n");
        assertEquals(Binfmt.State.DISABLED_GLOBALLY, binfmt.check(Arch.ARM64).state());
        Binfmt empty = new Binfmt(dir.resolve("nowhere"));
        assertFalse(empty.mounted());
        Binfmt.Check c = empty.check(Arch.ARM64);
        assertEquals(Binfmt.State.NOT_MOUNTED, c.state());
        assertTrue(
                empty.problem(c)
                        .startsWith(
                                "linux/arm64 is not this host's architecture and needs QEMU user emulation, but binfmt_misc is not mounted at "));
    }

    @Test
    void theMissingHandlerMessageNamesSetupQemuAndThePackage() {
        Binfmt.Check c = binfmt.check(Arch.ARMV7);
        assertEquals(Binfmt.State.MISSING, c.state());
        assertEquals(
                "linux/arm/v7 is not this host's architecture and needs QEMU user emulation, but no binfmt_misc handler for its binaries"
                        + " is registered in " + dir
                        + ": run again with --setup-qemu (as root; it registers qemu-arm from /usr/lib/binfmt.d,"
                        + " shipped by the qemu-user-static package)",
                binfmt.problem(c));
    }
}
