package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.softmax4j.vector.VectorKernel;

/**
 * The kernel runs on the forced width when -Dsoftmax4j.vectorBits is given and the CPU has it, else on the CPU's
 * preferred width (a wider request than the CPU has falls back to the preferred width).
 */
class VectorSpeciesTest {
    @Test
    void kernelRunsOnTheRequestedOrPreferredSpecies() {
        String forced = System.getProperty("softmax4j.vectorBits");
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int bits = forced != null ? Math.min(Integer.parseInt(forced), preferred) : preferred;
        assertEquals(bits / Float.SIZE, VectorKernel.floatLanes());
        assertTrue(Softmax.implementation().startsWith("vector-" + bits + " "), Softmax.implementation());
    }
}
