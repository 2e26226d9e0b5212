package lib.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the runnable jar: {@code java -jar n0d3.jar SCRIPT [ARGS]} runs the named top-level
 * script's main exactly as {@code jbang SCRIPT.java [ARGS]} would. The scripts live in the default
 * package, hence the reflection.
 */
public final class Launcher {
    /** Script name (as typed) to class name (the file name without .java). */
    public static final Map<String, String> SCRIPTS = new LinkedHashMap<>();

    static {
        SCRIPTS.put("install", "install");
        SCRIPTS.put("swarm-join", "swarm_join");
        SCRIPTS.put("telemetry", "telemetry");
        SCRIPTS.put("build-amd", "build_amd");
        SCRIPTS.put("build-arm", "build_arm");
        SCRIPTS.put("tfc-sync", "tfc_sync");
    }

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            System.exit(args.length == 0 ? ExitCode.USAGE : ExitCode.OK);
        }
        if (args[0].equals("--version") || args[0].equals("-V")) {
            System.out.println("n0d3 " + Version.VERSION);
            System.exit(ExitCode.OK);
        }
        String name = args[0].replace('_', '-');
        if (name.endsWith(".java")) name = name.substring(0, name.length() - 5);
        String cls = SCRIPTS.get(name);
        if (cls == null) {
            System.err.println(
                    "error: unknown script '" + args[0] + "': expected one of " + String.join(", ", SCRIPTS.keySet()));
            System.exit(ExitCode.USAGE);
        }
        Method main = Class.forName(cls).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void usage() {
        System.out.println("Usage: java -jar n0d3.jar SCRIPT [ARGS...]   (the same as jbang SCRIPT.java [ARGS...])");
        System.out.println("Scripts: " + String.join(", ", SCRIPTS.keySet()));
        System.out.println("Each script has --help.");
    }
}
