package lib.tfc;

/**
 * A workspace variable as the TFC API lists it. {@code value} is null for a sensitive variable: the
 * API never returns those values.
 */
public record TfcVariable(
        String id, String key, String value, String category, boolean hcl, boolean sensitive, String description) {}
