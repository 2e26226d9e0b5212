package install;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import lib.cli.Log;

/** Runs something with lib.cli.Log's stdout and stderr captured. */
record Captured(int code, String out, String err) {
    static Captured of(IntSupplier body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.redirect(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Log.setColor(false);
        try {
            int c = body.getAsInt();
            return new Captured(c, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            Log.reset();
        }
    }
}
