package org.softmax4j.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elements that are not {@code <= threshold} (greater, or NaN): the first of them (argmax, top-k) or all of them
 * (top-p's candidates). Callers pass a threshold that almost every element is at or below, so the loops are a load,
 * a compare and a mask test per vector (per four vectors when only the first is wanted). {@code x <= t} is false for
 * NaN, so NaN needs no test of its own. The tails are scalar (under one vector; not timed against a masked one).
 * {@link #firstAbove} finds the lane in its hit vector with the scalar loop too: with {@code not().firstTrue()} there
 * argmax allocated 32 bytes per call at 128 bits in the surefire run (a mask boxed), once other tests had run.
 */
final class FirstAbove {
    private FirstAbove() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();

    static int firstAbove(float[] a, int offset, int length, float threshold) {
        FloatVector t = FloatVector.broadcast(F, threshold);
        int i = 0;
        for (int end = length - 4 * L; i <= end; i += 4 * L) {
            VectorMask<Float> atMost = FloatVector.fromArray(F, a, offset + i).compare(VectorOperators.LE, t)
                    .and(FloatVector.fromArray(F, a, offset + i + L).compare(VectorOperators.LE, t))
                    .and(FloatVector.fromArray(F, a, offset + i + 2 * L).compare(VectorOperators.LE, t))
                    .and(FloatVector.fromArray(F, a, offset + i + 3 * L).compare(VectorOperators.LE, t));
            if (!atMost.allTrue()) {
                break;  // the loop below finds the lane, within these four vectors
            }
        }
        for (int end = length - L; i <= end; i += L) {
            if (!FloatVector.fromArray(F, a, offset + i).compare(VectorOperators.LE, t).allTrue()) {
                break;  // the scalar loop finds the lane: cheaper to keep C2's way than a mask's firstTrue (below)
            }
        }
        for (; i < length; i++) {
            if (!(a[offset + i] <= threshold)) {
                return i;
            }
        }
        return -1;
    }

    static int indicesAbove(float[] a, int offset, int length, float threshold, int[] indices) {
        FloatVector t = FloatVector.broadcast(F, threshold);
        int count = 0;
        int i = 0;
        for (int end = length - L; i <= end; i += L) {
            VectorMask<Float> atMost = FloatVector.fromArray(F, a, offset + i).compare(VectorOperators.LE, t);
            if (!atMost.allTrue()) {
                // one bit per lane above the threshold (L <= 16, so it fits a long), lowest lane first
                for (long bits = atMost.not().toLong(); bits != 0; bits &= bits - 1) {
                    if (count < indices.length) {
                        indices[count] = i + Long.numberOfTrailingZeros(bits);
                    }
                    count++;
                }
            }
        }
        for (; i < length; i++) {
            if (!(a[offset + i] <= threshold)) {
                if (count < indices.length) {
                    indices[count] = i;
                }
                count++;
            }
        }
        return count;
    }
}
