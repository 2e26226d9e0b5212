package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lib.telemetry.NetworkRates;
import org.junit.jupiter.api.Test;

class NetworkRatesTest {
    @Test
    void rateIsTheIncreasePerSecond() {
        assertEquals(100.0, NetworkRates.rate(1_000L, 7_000L, 60));
        assertEquals(0.0, NetworkRates.rate(5L, 5L, 60));
    }

    @Test
    void aCounterResetCountsFromZeroNeverNegative() {
        // the interface was re-created: 900 bytes since then
        assertEquals(15.0, NetworkRates.rate(1_000_000L, 900L, 60));
        assertTrue(NetworkRates.reset(1_000_000L, 900L));
        assertFalse(NetworkRates.reset(900L, 1_000_000L));
    }

    @Test
    void a32BitWrapIsAResetToo() {
        long before = 4_294_967_000L;
        assertEquals(10.0, NetworkRates.rate(before, 100L, 10));
    }

    @Test
    void noPreviousReadingOrNoTimeGivesNoRate() {
        assertNull(NetworkRates.rate(null, 100L, 60));
        assertNull(NetworkRates.rate(50L, 100L, 0));
        assertFalse(NetworkRates.reset(null, 1L));
    }
}
