package telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import lib.telemetry.CpuTicks;
import org.junit.jupiter.api.Test;

class CpuTicksTest {
    //                                      user nice system idle iowait irq softirq steal
    static final CpuTicks T0 = new CpuTicks(new long[] {1000, 0, 500, 8000, 100, 0, 50, 0});

    @Test
    void utilisationIsTheBusyShareOfTheElapsedTicks() {
        // +300 user, +100 system, +550 idle, +50 iowait: 1000 ticks elapsed, 400 busy
        CpuTicks t1 = new CpuTicks(new long[] {1300, 0, 600, 8550, 150, 0, 50, 0});
        assertEquals(40.0, t1.utilisationSince(T0));
        assertArrayEquals(new double[] {30.0, 0, 10.0, 55.0, 5.0, 0, 0, 0}, t1.modesSince(T0), 1e-9);
    }

    @Test
    void firstRunHasNoUtilisation() {
        assertNull(T0.utilisationSince(null));
        assertNull(T0.modesSince(null));
    }

    @Test
    void countersThatWentBackwardsMeanARebootAndNoFigure() {
        CpuTicks afterReboot = new CpuTicks(new long[] {10, 0, 5, 80, 1, 0, 0, 0});
        assertNull(afterReboot.utilisationSince(T0));
    }

    @Test
    void noElapsedTicksGivesNoFigure() {
        assertNull(T0.utilisationSince(T0));
    }

    @Test
    void fullyBusyAndFullyIdle() {
        assertEquals(100.0, new CpuTicks(new long[] {2000, 0, 500, 8000, 100, 0, 50, 0}).utilisationSince(T0));
        assertEquals(0.0, new CpuTicks(new long[] {1000, 0, 500, 9000, 100, 0, 50, 0}).utilisationSince(T0));
    }

    @Test
    void survivesTheStateFileRoundTrip() {
        CpuTicks back = CpuTicks.fromJson(T0.toJson());
        assertArrayEquals(T0.ticks(), back.ticks());
        assertNull(CpuTicks.fromJson(PayloadSchema.parse("[1,2]")), "too short is a first run");
        assertNull(CpuTicks.fromJson(PayloadSchema.parse("\"x\"")));
    }
}
