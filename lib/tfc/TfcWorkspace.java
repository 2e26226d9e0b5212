package lib.tfc;

/** A workspace as the TFC API shows it (the fields this project reads). */
public record TfcWorkspace(String id, String name, String organization, boolean autoApply) {}
