package lib.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import lib.json.Json;

/**
 * One named step of a mutating command: its kind (write, run, join, build, push ...) and one-line summary,
 * optional detail (a file's unified diff), which --dry-run prints, and the body the real run executes, so a
 * plan is printed from the very steps that run. {@code C} is what the body works on: the install context,
 * the build's report.
 */
public abstract class Step<C> {
    private Consumer<C> then = c -> {};
    private final Map<String, String> facts = new LinkedHashMap<>();

    /** A word: write, remove, mkdir, run, service, wait, request, join, leave, build, push ... */
    public abstract String kind();

    /** One line, without the kind: what exactly happens. */
    public abstract String summary();

    /** More lines (a unified diff for a file), or "". */
    public String detail() {
        return "";
    }

    protected abstract void perform(C ctx);

    /** Runs the body, then what was added with {@link #then}. */
    public final void apply(C ctx) {
        perform(ctx);
        then.accept(ctx);
    }

    /** Something to record once the step has run (state, facts for later steps). */
    public Step<C> then(Consumer<C> next) {
        Consumer<C> before = this.then;
        this.then = c -> {
            before.accept(c);
            next.accept(c);
        };
        return this;
    }

    /** A fact for machine readers (--json), such as the manager a join goes through. */
    public Step<C> fact(String key, String value) {
        facts.put(key, value);
        return this;
    }

    public Map<String, String> facts() {
        return facts;
    }

    /** The kind in a column of eight, then the summary: "write    /etc/x (new, 0644)". */
    public String line() {
        return String.format("%-8s ", kind()) + summary();
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("kind", kind());
        n.put("summary", summary());
        if (!detail().isEmpty()) n.put("detail", detail());
        facts.forEach(n::put);
        return n;
    }

    @Override
    public String toString() {
        return kind() + " " + summary();
    }

    /** A step whose body is a lambda (a wait, an API request, a build). */
    public static <C> Step<C> of(String kind, String summary, Consumer<C> body) {
        return new Step<>() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public String summary() {
                return summary;
            }

            @Override
            protected void perform(C ctx) {
                body.accept(ctx);
            }
        };
    }
}
