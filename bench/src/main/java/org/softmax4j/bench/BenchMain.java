package org.softmax4j.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What scripts/bench.sh runs: JMH through its Java API, then the report from the {@link RunResult} objects.
 *
 * <p>Usage: {@code BenchMain --out DIR [--env FILE] [--accuracy FILE] [--command TEXT] -- JMH-ARGUMENTS}. The JMH
 * arguments are JMH's own command line (include regex, -f, -wi, -p, -prof, ...), parsed by JMH. Writes into DIR:
 * jmh.log (JMH's full console), jmh.json (JMH's JSON result format), report.md, results.csv, throughput.png; prints
 * a progress line per benchmark and, at the end, the headline table.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int split = Arrays.asList(args).indexOf("--");
        Map<String, String> own = Report.options(split < 0 ? args : Arrays.copyOf(args, split));
        String[] jmhArgs = split < 0 ? new String[0] : Arrays.copyOfRange(args, split + 1, args.length);
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(jmhArgs);
        } catch (CommandLineOptionException e) {
            System.err.println("bench: bad JMH arguments " + List.of(jmhArgs) + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Path out = Path.of(required(own, "out"));
        Files.createDirectories(out);

        Collection<RunResult> results;
        try (PrintStream log = new PrintStream(Files.newOutputStream(out.resolve("jmh.log")), true,
                StandardCharsets.UTF_8)) {
            OutputFormat text = OutputFormatFactory.createFormatInstance(log,
                    cli.verbosity().orElse(VerboseMode.NORMAL));
            // parent(cli): every option bench.sh or the user passed after "--" holds; nothing is overridden here.
            Options options = new OptionsBuilder().parent(cli).build();
            ProgressFormat progress = new ProgressFormat(text, System.out, RunPlan.combinations(options, text));
            results = new Runner(options, progress).run();
        } catch (RunnerException e) {
            // JMH's own exceptions (no benchmark matched, a benchmark failed with -foe) say it in toString().
            System.err.println("bench: JMH failed: " + (e.getMessage() != null ? e.getMessage() : e)
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : "") + "; see " + out.resolve("jmh.log"));
            System.exit(1);
            return;
        }
        if (results.isEmpty()) {
            System.err.println("bench: no benchmark ran (see " + out.resolve("jmh.log") + ")");
            System.exit(1);
        }
        ResultFormatFactory.getInstance(ResultFormatType.JSON, out.resolve("jmh.json").toString()).writeOut(results);

        Report report = new Report(results);
        report.write(out, path(own.get("env")), path(own.get("accuracy")), own.get("command"));
        System.out.println();
        System.out.print(report.summary());
        System.out.println("\nWrote jmh.json, results.csv, report.md and throughput.png to " + out);
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
