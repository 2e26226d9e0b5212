/** (0) The JVM floor: start, print the same line, exit. */
public class BaselineProbe {
    public static void main(String[] args) throws Exception {
        Probe.done("baseline", "-", "-");
    }
}
