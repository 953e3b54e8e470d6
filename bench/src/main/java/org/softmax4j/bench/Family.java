package org.softmax4j.bench;

/** The report's sections: which benchmark class a result came from, and how its shape reads. */
enum Family {
    SOFTMAX("Softmax, one row of n floats"),
    ROWS("Softmax over a batch of rows (rows x cols)"),
    LOG_SOFTMAX("Log-softmax, one row of n floats"),
    PASSES("softmax4j's passes one at a time (row in L1; the contender column names the pass)"),
    CROSSOVER("Rows beyond the caches: softmax4j's blocked and two-pass paths forced, beside the facade"),
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
            case "OffHeapSoftmaxBenchmark" -> OFF_HEAP;
            case "MemoryBandwidthBenchmark" -> MEMORY;
            default -> null;
        };
    }

    /** Single-row softmax at any length: the rows the bandwidth floors are compared with. */
    boolean isSingleRow() {
        return this == SOFTMAX || this == CROSSOVER;
    }

    /** Benchmarks whose results the headline table and the plot read: softmax of one row or of a batch. */
    boolean isSoftmax() {
        return this == SOFTMAX || this == ROWS;
    }
}
