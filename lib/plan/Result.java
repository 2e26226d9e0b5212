package lib.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import lib.cli.Log;
import lib.json.Json;

/**
 * The end of a run of a mutating command: a summary for people, the same for machines (--json), and the exit
 * code. {@link #print} is how swarm_join and the image builds print theirs on standard output.
 */
public interface Result {
    String text();

    ObjectNode json();

    int exitCode();

    /** Prints the result (text, or indented JSON with --json) on standard output; returns its exit code. */
    static int print(Result r, boolean json) {
        Log.result(json ? Json.pretty(r.json()) : r.text());
        return r.exitCode();
    }
}
