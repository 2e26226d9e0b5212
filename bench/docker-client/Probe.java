import java.nio.file.Files;
import java.nio.file.Path;

/** The line every probe prints once it has its answer: the harness stops the clock when it reads it. */
final class Probe {
    private Probe() {}

    static void done(String who, String name, String serverVersion) throws Exception {
        String hwm = "?";
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) hwm = line.substring(6).strip().replace(" kB", "");
        }
        System.out.println("READY " + who + " name=" + name + " server=" + serverVersion + " rss_kb=" + hwm);
        System.out.flush();
    }
}
