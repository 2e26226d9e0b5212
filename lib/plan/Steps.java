package lib.plan;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Steps in the order they run: --dry-run prints them ({@link #listing}, {@link #numbered}), the real run
 * executes the same objects ({@link #run}). One list for both, so the plan cannot drift from the run.
 */
public final class Steps<C> implements Iterable<Step<C>> {
    /** Detail lines start under the summary, past the kind column. */
    static final String DETAIL_INDENT = " ".repeat(9);

    private final List<Step<C>> steps = new ArrayList<>();
    private int done;

    public Steps<C> add(Step<C> s) {
        steps.add(s);
        return this;
    }

    public List<Step<C>> list() {
        return steps;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public int size() {
        return steps.size();
    }

    /** The step added last (to hang a {@link Step#then} on). */
    public Step<C> last() {
        return steps.get(steps.size() - 1);
    }

    @Override
    public Iterator<Step<C>> iterator() {
        return steps.iterator();
    }

    /** Runs every step in order, telling {@code progress} of each one before it runs. */
    public void run(C ctx, Consumer<Step<C>> progress) {
        for (Step<C> s : steps) {
            progress.accept(s);
            s.apply(ctx);
            done++;
        }
    }

    /** How many steps {@link #run} has completed (after a failure: those before the failed one). */
    public int done() {
        return done;
    }

    /** Each step's {@link Step#line} as the plan prints it. */
    public List<String> lines() {
        return steps.stream().map(Step::line).toList();
    }

    /** Each step's line and detail, every line after {@code indent}, ending in a newline. */
    public String listing(String indent) {
        StringBuilder sb = new StringBuilder();
        for (Step<C> s : steps) {
            sb.append(indent).append(s.line()).append('\n');
            String d = s.detail();
            if (d.isEmpty()) continue;
            for (String line : d.split("\n", -1))
                sb.append(indent).append(DETAIL_INDENT).append(line).append('\n');
        }
        return sb.toString();
    }

    /** The summaries numbered under a heading: "heading\n  1. first\n  2. second". */
    public String numbered(String heading) {
        StringBuilder sb = new StringBuilder(heading);
        for (int i = 0; i < steps.size(); i++)
            sb.append("\n  ").append(i + 1).append(". ").append(steps.get(i).summary());
        return sb.toString();
    }
}
