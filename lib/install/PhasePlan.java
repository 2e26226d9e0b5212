package lib.install;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import lib.plan.Step;
import lib.plan.Steps;

/** What one phase will do (its actions, in order) and what it found (notes, warnings), then how it went. */
public final class PhasePlan {
    public enum Status {
        /** Nothing to do: the host is already as wanted. */
        UNCHANGED,
        /** Changes were applied. */
        CHANGED,
        /** Dry run: these changes would be applied. */
        PLANNED,
        /** Not configured or disabled. */
        SKIPPED,
        /** Done, with something the operator should look at. */
        WARNING,
        /** Stopped the install. */
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String id;
    private final String title;
    private final Steps<InstallContext> actions = new Steps<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private String skipped;
    private Status status;

    public PhasePlan(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public PhasePlan add(Step<InstallContext> a) {
        actions.add(a);
        return this;
    }

    /** Adds a step whose body is a lambda (a wait, an API request, a join) and returns it. */
    public Step<InstallContext> step(String kind, String summary, Consumer<InstallContext> body) {
        Step<InstallContext> s = Step.of(kind, summary, body);
        actions.add(s);
        return s;
    }

    /** Adds a file, directory or link change only when it changes something. */
    public PhasePlan addIfChanges(PathChange<?> c) {
        if (c.changes()) actions.add(c);
        return this;
    }

    public PhasePlan note(String s) {
        notes.add(s);
        return this;
    }

    public PhasePlan warn(String s) {
        warnings.add(s);
        return this;
    }

    public PhasePlan skip(String reason) {
        this.skipped = reason;
        return this;
    }

    public List<Step<InstallContext>> actions() {
        return actions.list();
    }

    /** The actions to run, in order. */
    public Steps<InstallContext> steps() {
        return actions;
    }

    public List<String> notes() {
        return notes;
    }

    public List<String> warnings() {
        return warnings;
    }

    public boolean isSkipped() {
        return skipped != null;
    }

    public String skipReason() {
        return skipped;
    }

    public boolean hasChanges() {
        return !actions.isEmpty();
    }

    /** The status as planned (before anything is applied) or as finally set. */
    public Status status(boolean dryRun) {
        if (status != null) return status;
        if (skipped != null) return Status.SKIPPED;
        if (actions.isEmpty()) return warnings.isEmpty() ? Status.UNCHANGED : Status.WARNING;
        if (dryRun) return Status.PLANNED;
        return warnings.isEmpty() ? Status.CHANGED : Status.WARNING;
    }

    public void status(Status s) {
        this.status = s;
    }

    public ObjectNode toJson(boolean dryRun) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", id);
        n.put("title", title);
        n.put("status", status(dryRun).label());
        if (skipped != null) n.put("skipped", skipped);
        ArrayNode a = n.putArray("actions");
        actions.forEach(x -> a.add(x.toJson()));
        ArrayNode no = n.putArray("notes");
        notes.forEach(no::add);
        ArrayNode w = n.putArray("warnings");
        warnings.forEach(w::add);
        return n;
    }
}
