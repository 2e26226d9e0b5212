package lib.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The steps a run will take (printed by --dry-run) or took, as text lines and as JSON. */
public final class Plan {
    static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> lines = new ArrayList<>();
    private final ArrayNode steps = JSON.createArrayNode();

    /** Adds a step: its kind ("leave", "join", "create-network", ...), the line shown and its details. */
    public ObjectNode add(String step, String line) {
        lines.add(line);
        ObjectNode n = steps.addObject();
        n.put("step", step).put("description", line);
        return n;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public ArrayNode toJson() {
        return steps.deepCopy();
    }

    public String toText() {
        if (lines.isEmpty()) return "plan: nothing to do";
        StringBuilder sb = new StringBuilder("plan (dry run: nothing was changed):");
        for (int i = 0; i < lines.size(); i++) sb.append("\n  ").append(i + 1).append(". ").append(lines.get(i));
        return sb.toString();
    }
}
