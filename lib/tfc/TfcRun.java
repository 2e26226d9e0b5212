package lib.tfc;

/** A run queued in a workspace. */
public record TfcRun(String id, String status, boolean autoApply) {}
