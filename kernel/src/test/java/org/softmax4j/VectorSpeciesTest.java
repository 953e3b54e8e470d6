package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.softmax4j.vector.VectorKernel;

/** The species the kernel runs on is the forced one when -Dsoftmax4j.vectorBits is given, else the preferred one. */
class VectorSpeciesTest {
    @Test
    void kernelRunsOnTheRequestedOrPreferredSpecies() {
        String forced = System.getProperty("softmax4j.vectorBits");
        int bits = forced != null ? Integer.parseInt(forced) : FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(bits / Float.SIZE, VectorKernel.floatLanes());
        assertTrue(Softmax.implementation().startsWith("vector-" + bits + " "), Softmax.implementation());
    }
}
