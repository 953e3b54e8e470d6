package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link OnlineSoftmax} and {@link Sampling} allocate nothing per call once compiled (and, for sampleTopP, once its
 * per-thread scratch has grown): a Vector API scan that C2 did not inline boxes its vectors, which shows up here. As in
 * {@link VectorAllocationTest}, the best of many rounds counts, so that a recompilation does not fail it; each entry
 * point is measured on its own, after a warm-up that mixes them all.
 */
class VectorInferenceAllocationTest {

    @Test
    void onlineSoftmaxAndSamplingAllocateNothingOnceCompiled() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        SplittableRandom random = new SplittableRandom(11);
        float[] scores = Rows.NORMAL_0_3.row(random.nextLong(), 4096);
        float[] block = new float[4096];
        float[] logits = Rows.NORMAL_0_3.row(random.nextLong(), 32000);
        float[] peaked = Softmax.softmax(logits);
        float[] flat = Softmax.softmax(Rows.NORMAL_0_1.row(random.nextLong(), 4000));
        int[] top = new int[40];
        OnlineSoftmax state = new OnlineSoftmax();
        Map<String, IntUnaryOperator> calls = new LinkedHashMap<>();
        calls.put("OnlineSoftmax.accept", c -> {
            state.reset();
            System.arraycopy(scores, 0, block, 0, scores.length);
            for (int start = 0; start < scores.length; start += 512) {
                state.accept(block, start, 512);
            }
            return (int) state.max();
        });
        calls.put("argmax", c -> Sampling.argmax(logits, 0, logits.length));
        calls.put("topK", c -> Sampling.topK(logits, 0, logits.length, 40, top, 0));
        calls.put("sampleTopP 0.9", c -> Sampling.sampleTopP(peaked, 0, peaked.length, 0.9f, (c % 97) / 97.0));
        calls.put("sampleTopP flat 0.95", c -> Sampling.sampleTopP(flat, 0, flat.length, 0.95f, (c % 97) / 97.0));
        calls.put("sampleTopP flat 1", c -> Sampling.sampleTopP(flat, 0, flat.length, 1f, (c % 97) / 97.0));
        for (int c = 0; c < 3000; c++) {
            for (IntUnaryOperator call : calls.values()) {
                call.applyAsInt(c);
            }
        }
        for (Map.Entry<String, IntUnaryOperator> e : calls.entrySet()) {
            long best = Long.MAX_VALUE;
            // up to 400 rounds: after the other tests of this JVM (other profiles), C2 may deoptimize a kernel loop here
            // and run it in C1, boxing every vector, until it recompiles (seen at 256 bits for accept, in surefire
            // only); a steady allocation, the thing this test is for, shows in every round
            for (int round = 0; round < 400 && best > 0; round++) {
                long before = threads.getThreadAllocatedBytes(thread);
                for (int c = 0; c < 50; c++) {
                    e.getValue().applyAsInt(c);
                }
                best = Math.min(best, threads.getThreadAllocatedBytes(thread) - before);
            }
            IntUnaryOperator call = e.getValue();
            String where = best > 0 ? Allocations.where(() -> call.applyAsInt(1), 5000) : "";
            assertEquals(0, best, "bytes allocated by 50 calls of " + e.getKey() + " on " + Softmax.implementation()
                    + "; allocating frames: " + where);
        }
    }
}
