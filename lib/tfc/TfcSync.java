package lib.tfc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.json.Json;

/**
 * Upserts the workspace's terraform variables (node_version, commit_sha, environment: the inputs of
 * infra/variables.tf) and queues a run with auto-apply off. Variables already holding the wanted value
 * are left alone; a run is queued only when something changed, unless forced.
 */
public final class TfcSync {
    public static final String DESCRIPTION = "managed by tfc_sync.java (PR-CYBR-N0D3)";
    public static final Set<String> ENVIRONMENTS = Set.of("dev", "test", "stage", "prod");

    public enum RunPolicy {
        AUTO,
        ALWAYS,
        NEVER
    }

    /** What was (or, in a dry run, would be) done. {@code run} is null when no run was queued. */
    public record Result(
            String organization,
            TfcWorkspace workspace,
            List<VarChange> changes,
            boolean dryRun,
            boolean runWanted,
            TfcRun run,
            String runUrl) {
        public boolean changed() {
            return changes.stream().anyMatch(VarChange::changes);
        }

        public String toText() {
            StringBuilder sb = new StringBuilder();
            sb.append(dryRun ? "dry run: no change made\n" : "")
                    .append("workspace %s/%s (%s)\n".formatted(organization, workspace.name(), workspace.id()));
            for (VarChange c : changes) {
                String verb = switch (c.action()) {
                    case CREATE -> dryRun ? "would create" : "created";
                    case UPDATE -> dryRun ? "would update" : "updated";
                    case UNCHANGED -> "unchanged";
                };
                sb.append(String.format(
                        "  %-13s %-13s %s%n",
                        c.key(),
                        verb,
                        c.action() == VarChange.Action.UPDATE
                                ? (c.before() == null ? "(sensitive)" : c.before()) + " -> " + c.after()
                                : c.after()));
            }
            if (run != null) {
                sb.append("run ")
                        .append(run.id())
                        .append(" queued (auto-apply off, status ")
                        .append(run.status())
                        .append("): ")
                        .append(runUrl);
            } else if (dryRun && runWanted) {
                sb.append("would queue a run (auto-apply off)");
            } else {
                sb.append("no run queued: ")
                        .append(changed() ? "--no-run" : "nothing changed (use --force-run to queue one anyway)");
            }
            return sb.toString();
        }

        public String toJson() {
            ObjectNode o = Json.object();
            o.put("organization", organization)
                    .put("workspace", workspace.name())
                    .put("workspace_id", workspace.id())
                    .put("dry_run", dryRun)
                    .put("changed", changed());
            ArrayNode vars = o.putArray("variables");
            for (VarChange c : changes) {
                ObjectNode v = vars.addObject()
                        .put("key", c.key())
                        .put("action", c.action().name().toLowerCase(Locale.ROOT))
                        .put("value", c.after());
                if (c.action() == VarChange.Action.UPDATE) v.put("previous", c.before());
                if (c.id() != null) v.put("id", c.id());
            }
            if (run != null) {
                o.putObject("run")
                        .put("id", run.id())
                        .put("status", run.status())
                        .put("auto_apply", run.autoApply())
                        .put("url", runUrl);
            } else {
                o.putNull("run");
                o.put("run_wanted", runWanted);
            }
            return Json.write(o);
        }
    }

    private final TfcClient client;

    public TfcSync(TfcClient client) {
        this.client = client;
    }

    /** The variables infra/variables.tf expects, in a stable order, after checking each value. */
    public static Map<String, String> desired(String nodeVersion, String commitSha, String environment) {
        if (nodeVersion == null || !nodeVersion.matches("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?")) {
            throw N0d3Exception.usage("codex.yaml: metadata.version: expected a semantic version such as 0.1.0, got '"
                    + nodeVersion + "'");
        }
        if (commitSha == null || !commitSha.matches("[0-9a-fA-F]{7,40}")) {
            throw N0d3Exception.usage(
                    "--sha: expected 7 to 40 hexadecimal digits (or GITHUB_SHA in the environment), got '"
                            + (commitSha == null ? "" : commitSha) + "'");
        }
        if (environment == null || !ENVIRONMENTS.contains(environment)) {
            throw N0d3Exception.usage("--environment: expected one of dev, test, stage, prod, got '"
                    + (environment == null ? "" : environment) + "'");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("node_version", nodeVersion);
        m.put("commit_sha", commitSha.toLowerCase(Locale.ROOT));
        m.put("environment", environment);
        return m;
    }

    /** Compares the wanted values with the workspace's terraform-category variables. */
    public static List<VarChange> plan(List<TfcVariable> existing, Map<String, String> desired) {
        List<VarChange> out = new ArrayList<>();
        for (Map.Entry<String, String> e : desired.entrySet()) {
            TfcVariable have = existing.stream()
                    .filter(v -> v.key().equals(e.getKey()) && "terraform".equals(v.category()))
                    .findFirst()
                    .orElse(null);
            if (have == null) {
                out.add(new VarChange(e.getKey(), VarChange.Action.CREATE, null, null, e.getValue()));
            } else if (have.sensitive()) {
                throw N0d3Exception.unexpectedState(
                        "workspace variable '" + e.getKey() + "' (" + have.id()
                                + ") is sensitive; tfc_sync manages it as a plain variable: delete it in the workspace, then re-run");
            } else if (e.getValue().equals(have.value()) && !have.hcl()) {
                out.add(new VarChange(e.getKey(), VarChange.Action.UNCHANGED, have.id(), have.value(), e.getValue()));
            } else {
                out.add(new VarChange(e.getKey(), VarChange.Action.UPDATE, have.id(), have.value(), e.getValue()));
            }
        }
        return out;
    }

    public Result sync(
            String organization,
            String workspaceName,
            Map<String, String> desired,
            boolean dryRun,
            RunPolicy policy,
            String runMessage) {
        TfcWorkspace ws = client.workspace(organization, workspaceName);
        Log.info("workspace " + organization + "/" + ws.name() + " is " + ws.id());
        List<VarChange> changes = plan(client.variables(ws.id()), desired);
        boolean changed = changes.stream().anyMatch(VarChange::changes);
        boolean runWanted = policy == RunPolicy.ALWAYS || (policy == RunPolicy.AUTO && changed);
        if (dryRun) {
            return new Result(organization, ws, changes, true, runWanted, null, null);
        }
        for (VarChange c : changes) {
            switch (c.action()) {
                case CREATE -> {
                    client.createVariable(ws.id(), c.key(), c.after(), DESCRIPTION);
                    Log.ok("created variable " + c.key() + " = " + c.after());
                }
                case UPDATE -> {
                    client.updateVariable(ws.id(), c.id(), c.key(), c.after(), DESCRIPTION);
                    Log.ok("updated variable " + c.key() + " = " + c.after());
                }
                case UNCHANGED -> Log.info("variable " + c.key() + " unchanged");
            }
        }
        TfcRun run = null;
        String url = null;
        if (runWanted) {
            run = client.createRun(ws.id(), runMessage);
            url = client.site() + "/app/" + organization + "/workspaces/" + ws.name() + "/runs/" + run.id();
            Log.ok("queued run " + run.id() + " (auto-apply off): confirm it in the workspace to apply");
        }
        return new Result(organization, ws, changes, false, runWanted, run, url);
    }
}
