package lib.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import lib.cli.Log;

/**
 * Start-up savings for OSHI's JNA, measured on the bench: by default JNA unpacks its native
 * {@code libjnidispatch.so} from the jar into a fresh temporary file on every start, and lists the
 * system's libraries with {@code ldconfig -p} (a subprocess). Both cost tens of milliseconds on a
 * timer that runs every minute on a Raspberry Pi. Before any JNA class loads, this points
 * {@code jna.boot.library.path} at a copy kept in the state dir (made once, named by the library's
 * CRC so a new JNA never meets an old copy) and sets {@code jna.platform.library.path} to the usual
 * library directories so {@code ldconfig} is not run. Nothing here is needed for correctness: any
 * failure leaves JNA to its defaults.
 */
public final class JnaBoot {
    private JnaBoot() {}

    public static void prepare(Path stateDir) {
        try {
            if (System.getProperty("jna.platform.library.path") == null) {
                String arch = System.getProperty("os.arch");
                String triplet = switch (arch) {
                    case "amd64", "x86_64" -> "x86_64-linux-gnu";
                    case "aarch64" -> "aarch64-linux-gnu";
                    case "arm" -> "arm-linux-gnueabihf";
                    default -> arch + "-linux-gnu";
                };
                System.setProperty("jna.platform.library.path", "/usr/lib/" + triplet + ":/lib/" + triplet + ":/usr/lib:/lib:/usr/lib64:/lib64");
            }
            if (System.getProperty("jna.boot.library.path") != null || stateDir == null) return;
            // com.sun.jna.Platform.RESOURCE_PREFIX, without loading JNA
            String prefix = switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64" -> "linux-x86-64";
                case "aarch64" -> "linux-aarch64";
                case "arm" -> "linux-arm";
                default -> null;
            };
            if (prefix == null) return;
            String resource = "com/sun/jna/" + prefix + "/libjnidispatch.so";
            byte[] lib;
            try (InputStream in = JnaBoot.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) return;
                lib = in.readAllBytes();
            }
            CRC32 crc = new CRC32();
            crc.update(lib);
            Path dir = stateDir.resolve("jna").resolve(prefix + "-" + Long.toHexString(crc.getValue()));
            Path file = dir.resolve("libjnidispatch.so");
            if (!Files.isRegularFile(file) || Files.size(file) != lib.length) {
                Files.createDirectories(dir);
                AtomicFile.write(file, lib, true);
            }
            System.setProperty("jna.boot.library.path", dir.toString());
        } catch (IOException | RuntimeException e) {
            Log.debug("JNA start-up shortcut not used: " + e);
        }
    }
}
