package org.softmax4j.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double sum of a row of non-negative floats, and its check, in one pass (top-p sampling's total). Every
 * element is widened exactly to double: the total decides where the nucleus ends, so a float partial sum (2^-21
 * relative over a few additions) would move that cut on rows where a float-accumulating sum does not. The row is
 * read in half-width float vectors, each widened to one full-width double vector (part 0 of {@code convertShape}
 * is a plain convert; part 1 of a full-width vector is a slice first, see DESIGN.md).
 *
 * <p>The check costs one OR per vector: NaN and +inf make the double sum NaN or infinite by themselves, so only
 * sign bits are collected; if any is set, a scalar pass tells -0.0 (allowed) from negative values.
 */
final class NonNegativeSum {
    private NonNegativeSum() {}

    /** Half the chosen width: as many float lanes as {@link Lanes#DOUBLES} has double lanes. */
    private static final VectorSpecies<Float> H =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Lanes.FLOATS.vectorBitSize() / 2));
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final VectorSpecies<Integer> HI = H.withLanes(int.class);
    private static final int N = H.length();

    static double sum(float[] a, int offset, int length) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        IntVector signs = IntVector.zero(HI);
        int i = 0;
        for (int end = length - 4 * N; i <= end; i += 4 * N) {
            FloatVector x0 = FloatVector.fromArray(H, a, offset + i);
            FloatVector x1 = FloatVector.fromArray(H, a, offset + i + N);
            FloatVector x2 = FloatVector.fromArray(H, a, offset + i + 2 * N);
            FloatVector x3 = FloatVector.fromArray(H, a, offset + i + 3 * N);
            signs = signs.or(x0.viewAsIntegralLanes()).or(x1.viewAsIntegralLanes())
                    .or(x2.viewAsIntegralLanes()).or(x3.viewAsIntegralLanes());
            s0 = s0.add((DoubleVector) x0.convertShape(VectorOperators.F2D, D, 0));
            s1 = s1.add((DoubleVector) x1.convertShape(VectorOperators.F2D, D, 0));
            s2 = s2.add((DoubleVector) x2.convertShape(VectorOperators.F2D, D, 0));
            s3 = s3.add((DoubleVector) x3.convertShape(VectorOperators.F2D, D, 0));
        }
        for (int end = length - N; i <= end; i += N) {
            FloatVector x = FloatVector.fromArray(H, a, offset + i);
            signs = signs.or(x.viewAsIntegralLanes());
            s0 = s0.add((DoubleVector) x.convertShape(VectorOperators.F2D, D, 0));
        }
        DoubleVector total = s0.add(s1).add(s2.add(s3));
        double sum = total.lane(0);  // lanes added in a fixed order (see ExpSum: reduceLanes' order is unspecified)
        for (int lane = 1; lane < D.length(); lane++) {
            sum += total.lane(lane);
        }
        int signBits = signs.reduceLanes(VectorOperators.OR);
        for (; i < length; i++) {
            float x = a[offset + i];
            signBits |= Float.floatToRawIntBits(x);
            sum += x;
        }
        if (signBits < 0) {  // a sign bit somewhere: -0.0, or a negative value (or a NaN with its sign bit set)
            for (int k = offset, end = offset + length; k < end; k++) {
                if (!(a[k] >= 0)) {
                    return Double.NaN;
                }
            }
        }
        return Double.isFinite(sum) ? sum : Double.NaN;
    }
}
