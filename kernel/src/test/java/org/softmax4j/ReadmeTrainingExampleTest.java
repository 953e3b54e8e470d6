package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The README's "For training" example, run as a test: a linear classifier (logits = x·W) on separable toy data,
 * trained by plain gradient descent with {@link CrossEntropy#lossAndGradient}; the loss must fall well below its
 * starting value log(classes) within a few dozen steps. The code between the README markers is what the README shows.
 */
class ReadmeTrainingExampleTest {
    @Test
    void lossFallsOnAToyLinearClassifier() {
        int batch = 64;
        int features = 8;
        int classes = 4;
        // toy data: each class is a Gaussian blob around its own random centre
        SplittableRandom random = new SplittableRandom(42);
        double[][] centres = new double[classes][features];
        for (double[] c : centres) {
            for (int f = 0; f < features; f++) {
                c[f] = 2 * random.nextGaussian();
            }
        }
        float[] x = new float[batch * features];
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = random.nextInt(classes);
            for (int f = 0; f < features; f++) {
                x[i * features + f] = (float) (centres[y[i]][f] + random.nextGaussian());
            }
        }

        // README-BEGIN training
        CrossEntropy crossEntropy = CrossEntropy.builder().labelSmoothing(0.05f).build();   // mean over the batch
        float[] w = new float[features * classes];        // weights, features x classes, start at 0
        float[] logits = new float[batch * classes];
        float learningRate = 0.1f;
        double first = 0;
        double loss = 0;
        for (int step = 0; step < 40; step++) {
            for (int i = 0; i < batch; i++) {             // forward: logits = x · w
                for (int k = 0; k < classes; k++) {
                    float sum = 0;
                    for (int f = 0; f < features; f++) {
                        sum += x[i * features + f] * w[f * classes + k];
                    }
                    logits[i * classes + k] = sum;
                }
            }
            // loss, and d(loss)/d(logits) written over the logits (in place)
            loss = crossEntropy.lossAndGradient(logits, batch, classes, y, logits);
            for (int f = 0; f < features; f++) {          // backward: d(loss)/dw = xᵀ · d(loss)/d(logits)
                for (int k = 0; k < classes; k++) {
                    float grad = 0;
                    for (int i = 0; i < batch; i++) {
                        grad += x[i * features + f] * logits[i * classes + k];
                    }
                    w[f * classes + k] -= learningRate * grad;   // plain gradient descent
                }
            }
            if (step == 0) {
                first = loss;
            }
            if (step % 10 == 9) {
                System.out.printf("step %d: loss %.4f%n", step + 1, loss);
            }
        }
        // README-END
        assertTrue(Math.abs(first - Math.log(classes)) < 1e-6, "zero weights: loss log(classes), got " + first);
        assertTrue(loss < 0.25 * first, "loss fell from " + first + " to only " + loss);
    }
}
