package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What --setup-qemu would do, against a binfmt_misc directory made of plain files (the kernel side,
 * registration creating the handler, is proven by the lab test BuildLabIT against a real binfmt_misc).
 * The .conf lines are Debian's /usr/lib/binfmt.d/qemu-aarch64.conf and qemu-arm.conf (qemu-user-static).
 */
class BinfmtSetupTest {
    static final String AARCH64_CONF =
            ":qemu-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00"
                    + ":\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:INTERP:OPF";

    @TempDir
    Path tmp;

    Path dir;
    Path confDir;
    Path interpreter;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(tmp.resolve("binfmt_misc"));
        Files.writeString(dir.resolve("register"), "");
        Files.writeString(dir.resolve("status"), "enabled\n");
        confDir = Files.createDirectories(tmp.resolve("binfmt.d"));
        interpreter = Files.writeString(tmp.resolve("qemu-aarch64-static"), "");
        Files.writeString(
                confDir.resolve("qemu-aarch64.conf"),
                "# comment\n\n" + AARCH64_CONF.replace("INTERP", interpreter.toString()) + "\n");
    }

    BinfmtSetup setup() {
        return new BinfmtSetup(new Binfmt(dir), List.of(tmp.resolve("etc-binfmt.d"), confDir), new ProcessRunner());
    }

    @Test
    void registersTheConfLineByWritingItToRegister() throws IOException {
        List<BinfmtSetup.Step> steps = setup().plan(List.of(Arch.ARM64));
        assertEquals(1, steps.size());
        assertEquals(
                "register qemu-aarch64 for linux/arm64: write the line of " + confDir.resolve("qemu-aarch64.conf")
                        + " to " + dir.resolve("register"),
                steps.get(0).describe());
        steps.get(0).apply().run();
        assertEquals(AARCH64_CONF.replace("INTERP", interpreter.toString()), Files.readString(dir.resolve("register")));
    }

    @Test
    void aGoodHandlerIsLeftAlone() throws IOException {
        Files.writeString(dir.resolve("qemu-aarch64"), BinfmtTest.AARCH64);
        assertTrue(setup().plan(List.of(Arch.ARM64)).isEmpty());
        setup().apply(List.of(Arch.ARM64));
        assertEquals("", Files.readString(dir.resolve("register")));
    }

    @Test
    void aHandlerWithoutFixBinaryIsRemovedThenRegisteredAgain() throws IOException {
        Files.writeString(dir.resolve("qemu-aarch64"), BinfmtTest.AARCH64.replace("flags: POF", "flags: P"));
        List<BinfmtSetup.Step> steps = setup().plan(List.of(Arch.ARM64));
        assertEquals(2, steps.size());
        assertTrue(
                steps.get(0).describe().startsWith("echo -1 > " + dir.resolve("qemu-aarch64")),
                steps.get(0).describe());
        steps.get(0).apply().run();
        assertEquals("-1", Files.readString(dir.resolve("qemu-aarch64")));
    }

    @Test
    void notMountedPlansTheMountFirst() {
        BinfmtSetup s = new BinfmtSetup(new Binfmt(tmp.resolve("unmounted")), List.of(confDir), new ProcessRunner());
        List<BinfmtSetup.Step> steps = s.plan(List.of(Arch.ARM64));
        assertEquals(
                "mount -t binfmt_misc binfmt_misc " + tmp.resolve("unmounted"),
                steps.get(0).describe());
        assertTrue(steps.get(1).describe().endsWith("(if missing once mounted)"));
    }

    @Test
    void withoutQemuUserStaticItSaysWhichPackageToInstall() {
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> setup().plan(List.of(Arch.ARMV7)));
        assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--setup-qemu: no qemu-arm.conf in "), e.getMessage());
        assertTrue(e.getMessage()
                .endsWith("install QEMU's user emulators (apt-get install qemu-user-static) and run again"));
    }

    @Test
    void aConfWhoseInterpreterIsGoneOrWithoutTheFFlagIsRefused() throws IOException {
        Files.delete(interpreter);
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> setup().plan(List.of(Arch.ARM64)));
        assertTrue(e.getMessage().contains("does not exist: reinstall qemu-user-static"), e.getMessage());
        Files.writeString(interpreter, "");
        Files.writeString(
                confDir.resolve("qemu-aarch64.conf"),
                AARCH64_CONF.replace("INTERP", interpreter.toString()).replace(":OPF", ":OP"));
        e = assertThrows(N0d3Exception.class, () -> setup().plan(List.of(Arch.ARM64)));
        assertTrue(e.getMessage().contains("no F (fix binary) flag"), e.getMessage());
    }

    @Test
    void registrationThatTheKernelDidNotTakeIsAFailure() {
        // a plain file is no kernel: nothing appears after the write, and apply must say so rather than claim success
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> setup().apply(List.of(Arch.ARM64)));
        assertEquals(ExitCode.FAILURE, e.exitCode());
        assertTrue(
                e.getMessage().startsWith("--setup-qemu: linux/arm64 is still not runnable after registering"),
                e.getMessage());
    }
}
