package lib.cli;

import java.time.Duration;
import lib.config.Units;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's converter for a DURATION option (a timeout, an interval): {@link Units#positiveDuration}, the rule
 * codex.yaml and the environment follow too. A refusal reads "--flag: expected a duration ..." ({@link Cli}).
 */
public final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Units.positiveDuration(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
