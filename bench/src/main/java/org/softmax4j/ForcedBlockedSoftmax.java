package org.softmax4j;

/**
 * The "softmax4j-blocked" benchmark contender: softmax4j's blocked path (per L1 block: max, then exp stored and
 * summed; a per-block factor in the normalize pass) forced at every length, on the kernel the facade chose. Beside
 * "softmax4j-two-pass" it shows where the facade's switch between the two belongs on the machine at hand. Same
 * split-package arrangement as {@link ForcedScalarSoftmax}.
 */
public final class ForcedBlockedSoftmax {
    private ForcedBlockedSoftmax() {
    }

    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        RowSoftmax.softmaxRowBlocked(Softmax.KERNEL, src, srcOffset, dst, dstOffset, length);
    }
}
