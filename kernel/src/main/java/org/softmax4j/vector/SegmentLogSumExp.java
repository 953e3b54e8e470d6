package org.softmax4j.vector;


import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;
import org.softmax4j.SoftmaxKernel;

/**
 * {@link LogSumExp} on native-order floats in a {@link MemorySegment}, at any byte offset: the same vector loop
 * (the scaled exp written out once more, see the package documentation), the same lane order and the same scalar
 * tail, so the normalizer is bitwise {@link LogSumExp}'s for the same floats. Offsets are in bytes.
 */
final class SegmentLogSumExp {
    private SegmentLogSumExp() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final int L = F.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static double logSumExpMinusMax(MemorySegment src, long srcOffset, int length, float max) {
        FloatVector log2e = FloatVector.broadcast(F, ExpPolynomial.LOG2E);
        FloatVector magicBias = FloatVector.broadcast(F, ExpPolynomial.MAGIC_BIAS_SCALED_2_64);
        FloatVector minusLn2Hi = FloatVector.broadcast(F, ExpPolynomial.MINUS_LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, ExpPolynomial.MINUS_LN2_LO);
        FloatVector c1 = FloatVector.broadcast(F, ExpPolynomial.C1);
        FloatVector c2 = FloatVector.broadcast(F, ExpPolynomial.C2);
        FloatVector c3 = FloatVector.broadcast(F, ExpPolynomial.C3);
        FloatVector c4 = FloatVector.broadcast(F, ExpPolynomial.C4);
        FloatVector c5 = FloatVector.broadcast(F, ExpPolynomial.C5);
        FloatVector c6 = FloatVector.broadcast(F, ExpPolynomial.C6);
        FloatVector zero = FloatVector.zero(F);
        FloatVector vmax = FloatVector.broadcast(F, max);
        FloatVector minusMax = FloatVector.broadcast(F, -max);
        DoubleVector belowMaxLow = DoubleVector.zero(D);
        DoubleVector belowMaxHigh = belowMaxLow;
        long maxCount = 0;
        int i = 0;
        for (int end = length - L; i <= end; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(F, src, srcOffset + (long) i * Float.BYTES, NATIVE);
            FloatVector d = x.sub(vmax);
            VectorMask<Float> atMax = d.compare(VectorOperators.EQ, 0f);
            VectorMask<Float> belowMax = d.compare(VectorOperators.GE, ExpPolynomial.SCALED_UNDERFLOW_CUTOFF)
                    .andNot(atMax);
            // ExpPolynomial.expTimes2To64, lane-wise (its cutoff is applied by the belowMax mask)
            FloatVector n = d.fma(log2e, magicBias);
            FloatVector s = n.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            n = n.sub(magicBias);
            FloatVector t = n.fma(minusLn2Hi, d);
            t = n.fma(minusLn2Lo, t);
            FloatVector p = c6.fma(t, c5);
            p = p.fma(t, c4);
            p = p.fma(t, c3);
            p = p.fma(t, c2);
            p = p.fma(t, c1);
            FloatVector e = t.mul(s).fma(p, s);
            // ExpPolynomial.shiftRoundingError, lane-wise: TwoSum's error of d = x - max
            FloatVector xPart = d.sub(minusMax);
            FloatVector maxPart = d.sub(xPart);
            FloatVector err = x.sub(xPart).add(minusMax.sub(maxPart));

            FloatVector term = zero.blend(e.fma(err, e), belowMax);
            belowMaxLow = belowMaxLow.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 0));
            belowMaxHigh = belowMaxHigh.add((DoubleVector) term.convertShape(VectorOperators.F2D, D, 1));
            maxCount += atMax.trueCount();
        }
        DoubleVector total = belowMaxLow.add(belowMaxHigh);
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        double belowMaxSum = even + odd;
        for (; i < length; i++) {
            float x = src.get(FLOAT, srcOffset + (long) i * Float.BYTES);
            if (x == max) {
                maxCount++;
            } else {
                belowMaxSum += ExpPolynomial.exactExpMinusMaxTimes2To64(x, max);
            }
        }
        return SoftmaxKernel.logOfSum(maxCount, belowMaxSum * 0x1p-64);
    }
}
