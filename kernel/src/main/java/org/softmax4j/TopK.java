package org.softmax4j;

import java.util.Objects;

/**
 * {@link Sampling#topK}: a heap of the k best indices kept in the caller's {@code indices} array, fed by
 * {@link SoftmaxKernel#firstAbove}, which skips at vector speed the elements that cannot beat the heap's worst (most of
 * them, once the heap holds good values), then a heap sort into descending order. Order as {@link Sampling}'s: by
 * value, NaN above every number, ties by lower index.
 */
final class TopK {
    private TopK() {}

    static int topK(SoftmaxKernel kernel, float[] x, int offset, int length, int k, int[] indices,
                    int indicesOffset) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(indices, "indices");
        Objects.checkFromIndexSize(offset, length, x.length);
        if (k < 0) {
            throw new IllegalArgumentException("k = " + k + " is negative");
        }
        int count = Math.min(k, length);
        Objects.checkFromIndexSize(indicesOffset, count, indices.length);
        if (count == 0) {
            return 0;
        }
        int h = indicesOffset;
        for (int i = 0; i < count; i++) {
            indices[h + i] = i;
        }
        for (int pos = count / 2 - 1; pos >= 0; pos--) {
            siftDown(x, offset, indices, h, count, pos);
        }
        // the heap's root is the worst of the best `count` so far: only an element above it (or NaN) can enter
        for (int i = count; i < length; i++) {
            float worst = x[offset + indices[h]];
            if (worst != worst) {
                break;  // the heap holds the first `count` NaNs: nothing later ranks above them
            }
            int j = kernel.firstAbove(x, offset + i, length - i, worst);
            if (j < 0) {
                break;
            }
            i += j;
            indices[h] = i;
            siftDown(x, offset, indices, h, count, 0);
        }
        for (int end = count - 1; end > 0; end--) {  // heap sort: the worst goes last
            int worst = indices[h];
            indices[h] = indices[h + end];
            indices[h + end] = worst;
            siftDown(x, offset, indices, h, end, 0);
        }
        return count;
    }

    /** Whether element {@code a} ranks below element {@code b} (distinct indices): see Sampling's order. */
    private static boolean worse(float[] x, int offset, int a, int b) {
        float va = x[offset + a];
        float vb = x[offset + b];
        if (va < vb) {
            return true;
        }
        if (va > vb) {
            return false;
        }
        boolean nanA = va != va;
        boolean nanB = vb != vb;
        return nanA == nanB ? a > b : nanB;  // equal (or both NaN): the higher index is worse
    }

    /** Restores the heap (worst at the root) below {@code pos}, the heap being {@code heap[h .. h+size)}. */
    private static void siftDown(float[] x, int offset, int[] heap, int h, int size, int pos) {
        int item = heap[h + pos];
        for (int child = 2 * pos + 1; child < size; child = 2 * pos + 1) {
            int c = heap[h + child];
            if (child + 1 < size && worse(x, offset, heap[h + child + 1], c)) {
                child++;
                c = heap[h + child];
            }
            if (!worse(x, offset, c, item)) {
                break;
            }
            heap[h + pos] = c;
            pos = child;
        }
        heap[h + pos] = item;
    }
}
