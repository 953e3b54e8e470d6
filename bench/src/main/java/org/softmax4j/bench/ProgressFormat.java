package org.softmax4j.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * JMH's console, split in two: everything JMH would print goes to {@code text} (its standard format, writing to
 * jmh.log), and {@code progress} (the terminal) gets one line per benchmark: its number, name, parameters and an
 * ETA for the whole run, completed with its score when it ends.
 *
 * <p>ETA = combinations still to run × (the nominal time of one, from its forks and warm-up and measurement
 * iterations, + the mean overhead measured so far per combination: JVM start, trial setup, the workload check,
 * iterations that overrun their time). The nominal part alone underestimates short runs badly; the measured part
 * alone says nothing before the first benchmark ends.
 */
final class ProgressFormat implements OutputFormat {
    /** Before anything was measured: a fork's JVM start and trial setup take about this long here. */
    private static final long FIRST_GUESS_OVERHEAD_NS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final OutputFormat text;
    private final PrintStream progress;
    private final int total;
    private int started;
    private long runStart;
    private long nominalDone;
    private long current;

    ProgressFormat(OutputFormat text, PrintStream progress, int total) {
        this.text = text;
        this.progress = progress;
        this.total = total;
    }

    @Override
    public void startRun() {
        runStart = System.nanoTime();
        text.startRun();
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        text.startBenchmark(params);
        long now = System.nanoTime();
        if (started > 0) {
            nominalDone += current;
        }
        current = nominal(params);
        long overhead = started == 0 ? FIRST_GUESS_OVERHEAD_NS
                : Math.max(0, (now - runStart - nominalDone) / started);
        int remaining = Math.max(1, total - started);
        started++;
        String name = params.getBenchmark().replaceFirst("^org\\.softmax4j\\.bench\\.", "");
        progress.printf(Locale.ROOT, "[%" + digits() + "d/%d] %-38s %-40s ETA %s", started, total, name,
                shape(params), duration(remaining * (current + overhead)));
        progress.flush();
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        text.endBenchmark(result);
        if (result == null) {
            progress.println("  failed, see jmh.log");
            return;
        }
        Result<?> primary = result.getPrimaryResult();
        progress.printf(Locale.ROOT, "  %s %s%n", Cells.fmt(primary.getScore()), primary.getScoreUnit());
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        text.endRun(result);
        progress.printf(Locale.ROOT, "JMH finished %d benchmarks in %s%n", started,
                duration(System.nanoTime() - runStart));
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        text.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
        text.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void print(String s) {
        text.print(s);
    }

    @Override
    public void println(String s) {
        text.println(s);
    }

    @Override
    public void flush() {
        text.flush();
    }

    @Override
    public void close() {
        text.close();
    }

    @Override
    public void verbosePrintln(String s) {
        text.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        text.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        text.write(b);
    }

    /** What JMH spends iterating one combination: every fork's warm-up and measurement iterations. */
    private static long nominal(BenchmarkParams p) {
        long perFork = p.getWarmup().getCount() * p.getWarmup().getTime().convertTo(TimeUnit.NANOSECONDS)
                + p.getMeasurement().getCount() * p.getMeasurement().getTime().convertTo(TimeUnit.NANOSECONDS);
        long forks = Math.max(1, p.getForks()) + p.getWarmupForks();
        return forks * perFork;
    }

    /** The parameters that tell combinations apart; "threads=1" says nothing while every benchmark is serial. */
    private static String shape(BenchmarkParams p) {
        StringBuilder s = new StringBuilder();
        for (String key : p.getParamsKeys()) {
            String value = p.getParam(key);
            if (!(key.equals("threads") && value.equals("1"))) {
                s.append(s.isEmpty() ? "" : " ").append(key).append('=').append(value);
            }
        }
        return s.toString();
    }

    private int digits() {
        return Integer.toString(total).length();
    }

    private static String duration(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        return d.toHours() > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
