package org.softmax4j.bench;

import org.openjdk.jmh.results.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one run's {@link RunResult}s into the published artefacts: {@code report.md} (headline with the targets,
 * every result, the bandwidth floor, the accuracy report), {@code results.csv} and {@code throughput.png}.
 */
final class Report {
    private final List<Measurement> results;
    private final Roofline roofline;
    private final Headline headline;
    private final DetailTables details;

    Report(Collection<RunResult> runs) {
        results = Measurement.of(runs);
        if (results.isEmpty()) {
            throw new IllegalStateException("no benchmark results the report knows");
        }
        roofline = Roofline.of(results);
        headline = new Headline(results);
        details = new DetailTables(results, roofline);
    }

    /** The part printed at the end of a run: the headline table and the bandwidth floor. */
    String summary() {
        return headline.table() + "\n" + memory();
    }

    /**
     * Writes the three files into {@code out}; {@code environment} and {@code accuracy} are optional files whose
     * text the report quotes, {@code command} the bench.sh line that produced the run.
     */
    void write(Path out, Path environment, Path accuracy, String command) throws IOException {
        StringBuilder md = new StringBuilder("# softmax4j benchmark results\n\n");
        if (environment != null && Files.exists(environment)) {
            md.append("## Environment\n\n```\n").append(Files.readString(environment).strip()).append("\n```\n\n");
        }
        if (command != null) {
            md.append("Command: `").append(command).append("`\n\n");
            if (command.contains("--smoke")) {
                md.append("**Smoke run: one short warm-up and one short iteration per benchmark, to prove every "
                        + "benchmark runs. The numbers are not steady-state; do not quote them.**\n\n");
            }
        }
        md.append(headline.table()).append('\n').append(details.tables()).append('\n').append(memory());
        if (accuracy != null && Files.exists(accuracy)) {
            // One heading level down, so the accuracy report nests under this one.
            md.append('\n').append(Files.readString(accuracy).replaceAll("(?m)^#", "##"));
        }
        Files.writeString(out.resolve("report.md"), md);
        Files.writeString(out.resolve("results.csv"), Csv.of(results, details, roofline));
        Plot.write(results, roofline, out.resolve("throughput.png"));
    }

    private String memory() {
        String md = "## Memory bandwidth floor\n\n";
        return md + (roofline == null
                ? "Not measured in this run (MemoryBandwidthBenchmark was filtered out).\n"
                : roofline.section(results));
    }

    /** {@code --name value} pairs, as BenchMain and AccuracyReport take them. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + List.of(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
