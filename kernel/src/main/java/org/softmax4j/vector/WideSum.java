package org.softmax4j.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-lane accumulation of float terms: each float is widened exactly, so at n = 16M the sum still carries
 * less than 2^-29 relative error, where float32 accumulation (what the native libraries do) loses hundreds of ulp.
 */
final class WideSum {
    private WideSum() {}

    private static final VectorSpecies<Double> D = Lanes.DOUBLES;

    static DoubleVector zero() {
        return DoubleVector.zero(D);
    }

    /** {@code total + v}, with v's lanes widened exactly to double (lower half and upper half). */
    static DoubleVector add(DoubleVector total, FloatVector v) {
        DoubleVector low = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
        DoubleVector high = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
        return total.add(low).add(high);
    }

    /**
     * The sum of the lanes, added in lane order. Not {@code reduceLanes(ADD)}: its order is unspecified and may
     * differ between the interpreter and C2, which would break bitwise determinism across warm-up.
     */
    static double sumLanes(DoubleVector total) {
        double sum = 0;
        for (int lane = 0; lane < D.length(); lane++) {
            sum += total.lane(lane);
        }
        return sum;
    }
}
