package org.softmax4j.bench;

/** What a benchmark computes per row. */
public enum Op {
    SOFTMAX,
    LOG_SOFTMAX
}
