package lib.install;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The phases of one run with their actions: printed as the exact plan (--dry-run) or as the run's summary. */
public final class Plan {
    static final String INDENT = "    ";
    private final String rootShown;
    private final boolean dryRun;
    private final List<PhasePlan> phases = new ArrayList<>();

    public Plan(String rootShown, boolean dryRun) {
        this.rootShown = rootShown;
        this.dryRun = dryRun;
    }

    public void add(PhasePlan p) {
        phases.add(p);
    }

    public List<PhasePlan> phases() {
        return phases;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public int actionCount() {
        return phases.stream().mapToInt(p -> p.actions().size()).sum();
    }

    public boolean changesAnything() {
        return actionCount() > 0;
    }

    /** One phase as the plan shows it: heading, notes, warnings, then each action with its diff. */
    public static String render(PhasePlan p, int index, int total, boolean dryRun) {
        StringBuilder sb = new StringBuilder();
        sb.append('[')
                .append(index)
                .append('/')
                .append(total)
                .append("] ")
                .append(p.title())
                .append(": ")
                .append(p.status(dryRun).label());
        if (p.isSkipped()) sb.append(" (").append(p.skipReason()).append(')');
        else if (p.hasChanges())
            sb.append(", ").append(p.actions().size()).append(p.actions().size() == 1 ? " action" : " actions");
        sb.append('\n');
        for (String n : p.notes()) sb.append(INDENT).append("- ").append(n).append('\n');
        for (String w : p.warnings()) sb.append(INDENT).append("! ").append(w).append('\n');
        return sb.append(p.steps().listing(INDENT)).toString();
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                dryRun
                        ? "Plan for " + rootShown + " (dry run: nothing is changed)\n\n"
                        : "Install of " + rootShown + "\n\n");
        int i = 1;
        for (PhasePlan p : phases) sb.append(render(p, i++, phases.size(), dryRun));
        sb.append('\n').append(summaryLine());
        return sb.toString();
    }

    public String summaryLine() {
        long changing = phases.stream().filter(PhasePlan::hasChanges).count();
        if (dryRun) {
            return changing == 0
                    ? "Nothing to change: every phase is unchanged."
                    : changing + " of " + phases.size() + " phases would change (" + actions()
                            + "); nothing was changed.";
        }
        return changing == 0
                ? "Nothing changed: every phase is unchanged."
                : changing + " of " + phases.size() + " phases changed (" + actions() + ").";
    }

    private String actions() {
        int n = actionCount();
        return n + (n == 1 ? " action" : " actions");
    }

    /** The summary table printed at the end of a run. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format("%-14s %-10s %s%n", "PHASE", "STATUS", "DETAIL"));
        for (PhasePlan p : phases) {
            String detail = p.isSkipped()
                    ? p.skipReason()
                    : !p.warnings().isEmpty()
                            ? p.warnings().get(0)
                            : p.hasChanges()
                                    ? p.actions().size() + (p.actions().size() == 1 ? " action" : " actions")
                                    : p.notes().isEmpty() ? "" : p.notes().get(0);
            sb.append(String.format("%-14s %-10s %s%n", p.id(), p.status(dryRun).label(), detail));
        }
        return sb.toString().stripTrailing();
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("root", rootShown);
        n.put("dry_run", dryRun);
        n.put("changed", changesAnything());
        n.put("actions", actionCount());
        ArrayNode a = n.putArray("phases");
        phases.forEach(p -> a.add(p.toJson(dryRun)));
        return n;
    }
}
