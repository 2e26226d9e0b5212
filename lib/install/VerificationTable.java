package lib.install;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows of checks, printed and --json: codex.yaml's deployment.verification checks, and the security audit's
 * rows. ok / fail / skip, and warn (printed, never a failure).
 */
public final class VerificationTable {
    public enum Result {
        OK,
        FAIL,
        SKIP,
        WARN
    }

    public record Row(String name, String check, Result result, String detail) {}

    private final List<Row> rows = new ArrayList<>();

    public void add(String name, String check, Result result, String detail) {
        rows.add(new Row(name, check, result, detail));
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean allGreen() {
        return rows.stream().noneMatch(r -> r.result() == Result.FAIL);
    }

    public long count(Result r) {
        return rows.stream().filter(x -> x.result() == r).count();
    }

    public String render() {
        int w = Math.max(5, rows.stream().mapToInt(r -> r.name().length()).max().orElse(5));
        StringBuilder sb = new StringBuilder(
                String.format("%-" + w + "s  %-12s  %-6s  %s%n", "CHECK", "KIND", "RESULT", "DETAIL"));
        for (Row r : rows)
            sb.append(String.format(
                    "%-" + w + "s  %-12s  %-6s  %s%n",
                    r.name(),
                    r.check(),
                    r.result().name().toLowerCase(Locale.ROOT),
                    r.detail()));
        return sb.toString().stripTrailing();
    }

    public ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Row r : rows) {
            a.addObject()
                    .put("name", r.name())
                    .put("check", r.check())
                    .put("result", r.result().name().toLowerCase(Locale.ROOT))
                    .put("detail", r.detail());
        }
        return a;
    }
}
