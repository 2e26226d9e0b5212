package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuorumTest {
    @Test
    void majorities() {
        assertEquals(1, Quorum.majority(1));
        assertEquals(2, Quorum.majority(2));
        assertEquals(2, Quorum.majority(3));
        assertEquals(3, Quorum.majority(4));
        assertEquals(3, Quorum.majority(5));
    }

    @Test
    void whoMayLeave() {
        assertTrue(new Quorum(3, 3).leaveKeepsQuorum()); // 2 left, both up
        assertTrue(new Quorum(2, 2).leaveKeepsQuorum()); // 1 left, up
        assertFalse(new Quorum(3, 2).leaveKeepsQuorum()); // 2 left, 1 up: below 2
        assertFalse(new Quorum(1, 1).leaveKeepsQuorum()); // the last manager
        assertTrue(new Quorum(5, 4).leaveKeepsQuorum()); // 4 left, 3 up: quorum 3
        assertFalse(new Quorum(5, 3).leaveKeepsQuorum()); // 4 left, 2 up
    }

    @Test
    void explainsTheRefusal() {
        assertTrue(new Quorum(1, 1).leaveProblem().contains("last manager"));
        assertEquals(
                "after this manager leaves, 1 of 2 managers would be reachable, below the quorum of 2",
                new Quorum(3, 2).leaveProblem());
        assertEquals(1, new Quorum(3, 3).faultTolerance());
        assertEquals(0, new Quorum(3, 2).faultTolerance());
    }
}
