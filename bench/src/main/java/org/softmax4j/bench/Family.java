package org.softmax4j.bench;

/** The report's sections: which benchmark class a result came from, and how its shape reads. */
enum Family {
    SOFTMAX("Softmax, one row of n floats"),
    ROWS("Softmax over a batch of rows (rows x cols)"),
    LOG_SOFTMAX("Log-softmax, one row of n floats"),
    PASSES("softmax4j's passes one at a time (row in L1; the contender column names the pass)"),
    CROSSOVER("Rows beyond the caches: softmax4j's facade (blocked) beside its two-pass path forced"),
    FUSED("Fused attention variants beside their unfused composition (rows x cols; the contender names the variant)"),
    SAMPLING("Sampling from one vocabulary row (argmax; top-k, k = 40; top-p, p = 0.9): softmax4j beside the plain "
            + "Java loop, sort or PriorityQueue"),
    ONLINE("Flash-attention softmax: OnlineSoftmax.accept over blocks of a row, beside one softmax of the row"),
    TRAINING("Training: fused cross-entropy beside its unfused composition, backward ops beside plain Java loops "
            + "(rows x cols; the shape column names the op)"),
    OFF_HEAP("Softmax of rows in memory segments beside the float[] facade (n, or rows x cols)"),
    MEMORY("Memory bandwidth reference (single thread)");

    final String title;

    Family(String title) {
        this.title = title;
    }

    /** The family of a benchmark class's simple name, or null for a class the report does not know. */
    static Family of(String benchmarkClass) {
        return switch (benchmarkClass) {
            case "RowSoftmaxBenchmark" -> SOFTMAX;
            case "BatchSoftmaxBenchmark" -> ROWS;
            case "LogSoftmaxBenchmark" -> LOG_SOFTMAX;
            case "CrossoverBenchmark" -> CROSSOVER;
            case "PassBenchmark" -> PASSES;
            case "SamplingBenchmark" -> SAMPLING;
            case "OnlineSoftmaxBenchmark" -> ONLINE;
            case "OffHeapSoftmaxBenchmark" -> OFF_HEAP;
            case "MemoryBandwidthBenchmark" -> MEMORY;
            case "FusedSoftmaxBenchmark" -> FUSED;
            case "ParallelRowsBenchmark" -> ROWS;
            case "CrossEntropyBenchmark", "BackwardBenchmark" -> TRAINING;
            default -> null;
        };
    }

    /**
     * The contenders the two ratio columns of this family's table compare with: the plain Java loop, and the JDK's
     * {@code lanewise(EXP)} softmax, or for training the unfused composition of softmax4j calls.
     */
    String[] ratioBaselines() {
        return this == TRAINING ? new String[] {"java-scalar", "softmax4j-unfused"}
                : new String[] {"java-scalar", Contenders.JDK_EXP};
    }

    /** Single-row softmax at any length: the rows the bandwidth floors are compared with. */
    boolean isSingleRow() {
        return this == SOFTMAX || this == CROSSOVER;
    }

    /** Whether the memory roofline applies: every family that computes softmax probabilities row by row. */
    boolean hasRoofline() {
        return this != MEMORY && this != SAMPLING && this != ONLINE;
    }

    /** Benchmarks whose results the headline table and the plot read: softmax of one row or of a batch. */
    boolean isSoftmax() {
        return this == SOFTMAX || this == ROWS;
    }
}
