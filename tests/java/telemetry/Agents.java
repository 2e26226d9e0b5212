package telemetry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lib.cli.Log;
import lib.config.Settings;
import lib.mgmt.MgmtClient;
import lib.telemetry.TelemetryAgent;
import lib.telemetry.TelemetryConfig;

/** In-process telemetry runs (the same classes telemetry.java drives) with their output captured. */
final class Agents {
    private Agents() {}

    /** Environment without Docker (so runs are quick) and with the receiver as management node. */
    static Map<String, String> env(MgmtReceiver r, String token) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        if (r != null) env.put("MGMT_NODE_URL", r.url());
        if (token != null) env.put("API_TOKEN", token);
        return env;
    }

    static String codex(String telemetryExtra) {
        return "capabilities:\n  telemetry:\n" + telemetryExtra.indent(4);
    }

    static TelemetryAgent agent(Path stateDir, String codexYaml, Map<String, String> env, List<String> outputs) {
        Settings s = Settings.fromText("codex.yaml", codexYaml, env);
        TelemetryConfig cfg = TelemetryConfig.resolve(s, outputs, stateDir, null, null, null, false);
        MgmtClient mgmt = cfg.sinks().contains(TelemetryConfig.Sink.MGMT)
                ? MgmtClient.fromSettings(s).orElseThrow()
                : null;
        return new TelemetryAgent(cfg, "node-test", env, mgmt, false);
    }

    /** One --once run: exit code, stdout lines, stderr text. */
    record Run(int exit, List<String> stdout, String stderr) {}

    static Run once(TelemetryAgent a) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.redirect(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = a.once(false);
        } finally {
            Log.reset();
        }
        List<String> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) if (!l.isBlank()) lines.add(l);
        return new Run(code, lines, err.toString(StandardCharsets.UTF_8));
    }
}
