package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The inference examples the README shows, each between {@code // README-BEGIN name} and {@code // README-END}, and
 * checked here: a decode step of attention over a key-value cache in blocks with {@link OnlineSoftmax} (against the
 * plain softmax-weighted sum), and sampling a token with a temperature, top-p and greedy ({@link Sampling}).
 */
class ReadmeInferenceExamplesTest {

    @Test
    void prefillWithCausalAndPaddingMasks() {
        long seed = Rows.seed();
        int heads = 4;
        int T = 50;
        int dim = 64;
        float[] scores = Rows.NORMAL_0_10.row(seed, heads * T * T);
        for (int h = 0; h < heads; h++) {
            for (int q = 0; q < T; q++) {
                for (int k = q + 1; k < T; k++) {
                    scores[(h * T + q) * T + k] = Float.NaN;  // the engine never computes the future
                }
            }
        }
        float[] original = scores.clone();
        float[] allScores = Rows.NORMAL_0_10.row(seed + 1, heads * T * T);  // every key computed
        int validKeys = 41;

        // README-BEGIN prefill
        // Prefill, scores laid out [head][query][key] (T x T per head), computed only for key <= query.
        float scale = (float) (1 / Math.sqrt(dim));
        for (int h = 0; h < heads; h++) {
            int at = h * T * T;
            Softmax.causalSoftmaxRows(scores, at, T, scores, at, T, T, T, scale, 0);  // in place; future keys -> 0
        }

        // Bidirectional attention over a padded sequence instead: every key computed, keys from `validKeys` on
        // masked, one mask row shared by all heads x T rows.
        float[] padding = new float[T];
        Arrays.fill(padding, validKeys, T, Float.NEGATIVE_INFINITY);
        float[] probs = new float[heads * T * T];
        Softmax.maskedSoftmaxRows(allScores, 0, T, padding, 0, 0, probs, 0, T, heads * T, T, scale);
        // README-END

        for (int h = 0; h < heads; h++) {
            for (int q = 0; q < T; q++) {
                int row = (h * T + q) * T;
                float[] expected = new float[T];
                float[] visible = new float[q + 1];
                for (int k = 0; k <= q; k++) {
                    visible[k] = scale * original[row + k];
                }
                Softmax.softmax(visible, 0, expected, 0, q + 1);
                for (int k = 0; k < T; k++) {
                    assertEquals(expected[k], scores[row + k], 2e-6f * Math.max(1e-3f, expected[k]),
                            "causal head " + h + " query " + q + " key " + k + " seed " + seed);
                }
                double mass = 0;
                for (int k = 0; k < validKeys; k++) {
                    mass += probs[row + k];
                }
                assertEquals(1, mass, 1e-5, "padded row sums to 1 over the valid keys");
                assertEquals(0f, probs[row + T - 1], "padding masked");
            }
        }
    }

    @Test
    void decodeStepOverAKeyValueCacheInBlocks() {
        long seed = Rows.seed();
        SplittableRandom cache = new SplittableRandom(seed);
        int seq = 1000;
        int dim = 64;
        float[][] keys = new float[seq][dim];
        float[][] values = new float[seq][dim];
        float[] query = new float[dim];
        for (int t = 0; t < seq; t++) {
            for (int d = 0; d < dim; d++) {
                keys[t][d] = (float) cache.nextGaussian();
                values[t][d] = (float) cache.nextGaussian();
            }
        }
        for (int d = 0; d < dim; d++) {
            query[d] = (float) (2 * cache.nextGaussian());
        }

        // README-BEGIN flash-decode
        // One decode step of one attention head: the query against a KV cache of `seq` positions, 128 at a time,
        // without ever holding the whole row of scores.
        int block = 128;
        float scale = (float) (1 / Math.sqrt(dim));
        OnlineSoftmax state = new OnlineSoftmax();
        float[] scores = new float[block];
        float[] out = new float[dim];
        for (int start = 0; start < seq; start += block) {
            int len = Math.min(block, seq - start);
            for (int j = 0; j < len; j++) {
                scores[j] = scale * dot(query, keys[start + j]);
            }
            float factor = state.accept(scores, 0, len);  // scores[j] is now exp(s_j - max so far)
            for (int d = 0; d < dim; d++) {
                out[d] *= factor;                          // rescale what the earlier blocks added
            }
            for (int j = 0; j < len; j++) {
                float weight = scores[j];
                float[] v = values[start + j];
                for (int d = 0; d < dim; d++) {
                    out[d] += weight * v[d];
                }
            }
        }
        float inverse = (float) (1 / state.sum());
        for (int d = 0; d < dim; d++) {
            out[d] *= inverse;                             // out = softmax(scores) · values
        }
        // README-END

        float[] all = new float[seq];
        for (int t = 0; t < seq; t++) {
            all[t] = scale * dot(query, keys[t]);
        }
        double[] p = ReferenceSoftmax.softmax(all, 0, seq);
        float[] softmax = Softmax.softmax(all);
        for (int d = 0; d < dim; d++) {
            double expected = 0;
            double plain = 0;
            for (int t = 0; t < seq; t++) {
                expected += p[t] * values[t][d];
                plain += softmax[t] * values[t][d];
            }
            assertEquals(expected, out[d], 2e-5, "dimension " + d + KernelAccuracyTests.reproduce(seed));
            assertEquals(plain, out[d], 2e-5, "against Softmax.softmax, dimension " + d);
        }
        assertEquals(ReferenceSoftmax.logSumExp(all, 0, seq) + state.max(), state.logSumExp(), 1e-5);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void samplingATokenWithTemperatureTopPAndGreedy() {
        float[] logits = Rows.NORMAL_0_3.row(Rows.seed(), 32000);

        // README-BEGIN sampling
        // One decoder step: vocabulary logits in, the next token out.
        float temperature = 0.8f;
        float[] probs = new float[logits.length];
        Softmax.softmax(logits, 0, probs, 0, logits.length, 1 / temperature);  // softmax(logits / T), one pass

        SplittableRandom random = new SplittableRandom(42);  // the caller owns the random source
        int next = Sampling.sampleTopP(probs, 0, probs.length, 0.9f, random.nextDouble());

        int greedy = Sampling.argmax(logits, 0, logits.length);
        int[] top = new int[40];
        int count = Sampling.topK(probs, 0, probs.length, 40, top, 0);  // top[0] == greedy
        // README-END

        assertEquals(40, count);
        assertEquals(greedy, top[0]);
        assertEquals(next, Sampling.sampleTopP(probs, 0, probs.length, 0.9f, new SplittableRandom(42).nextDouble()),
                "deterministic for a given u");
        // every draw lies in the nucleus: the shortest most-probable prefix with 90% of the mass
        Integer[] order = IntStream.range(0, probs.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> probs[a] != probs[b] ? Float.compare(probs[b], probs[a]) : Integer.compare(a, b));
        double total = 0;
        for (float q : probs) {
            total += q;
        }
        boolean[] nucleus = new boolean[probs.length];
        double mass = 0;
        for (int j = 0; mass < 0.9f * total; j++) {
            mass += probs[order[j]];
            nucleus[order[j]] = true;
        }
        assertTrue(nucleus[next]);
        for (int draw = 0; draw < 200; draw++) {
            assertTrue(nucleus[Sampling.sampleTopP(probs, 0, probs.length, 0.9f, random.nextDouble())]);
        }
    }
}
