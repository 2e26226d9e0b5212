package lib.install;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * One change in the plan: a file written or removed, a directory made, a command run, a service acted on,
 * a wait. The plan shows {@link #summary()} (and {@link #detail()}, a unified diff for files) exactly as it
 * will be applied; {@link #apply} does it.
 */
public abstract class Action {
    private Consumer<InstallContext> then = c -> {};

    /** write, remove, mkdir, chmod, run, service, wait, request. */
    public abstract String kind();

    /** One line, without the kind: what exactly happens. */
    public abstract String summary();

    /** More lines (a unified diff for a file), or "". */
    public String detail() {
        return "";
    }

    protected abstract void perform(InstallContext ctx);

    public final void apply(InstallContext ctx) {
        perform(ctx);
        then.accept(ctx);
    }

    /** Something to record once the action has been applied (state, facts for later phases). */
    public Action then(Consumer<InstallContext> next) {
        Consumer<InstallContext> before = this.then;
        this.then = c -> {
            before.accept(c);
            next.accept(c);
        };
        return this;
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", kind());
        n.put("summary", summary());
        if (!detail().isEmpty()) n.put("detail", detail());
        return n;
    }

    @Override
    public String toString() {
        return kind() + " " + summary();
    }
}
