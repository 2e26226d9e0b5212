package lib.tfc;

/**
 * What the sync does to one workspace variable. {@code id} is the existing variable's id (null when
 * it is created); {@code before} is its current value (null when created or sensitive).
 */
public record VarChange(String key, Action action, String id, String before, String after) {
    public enum Action {
        CREATE,
        UPDATE,
        UNCHANGED
    }

    public boolean changes() {
        return action != Action.UNCHANGED;
    }
}
