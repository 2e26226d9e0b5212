package lib.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import lib.plan.Result;

/** The end of a run: the exit code, the summary for people (stdout) and for machines (--json). */
public record Outcome(int exitCode, String text, ObjectNode json) implements Result {}
