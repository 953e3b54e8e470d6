package org.softmax4j.bench;

import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.Options;

import java.util.Collection;
import java.util.Map;

/**
 * How many benchmark × parameter combinations a run will measure, counted the way JMH expands them: the benchmarks
 * its include/exclude patterns select from the generated list, each times the product of its parameters' values
 * ({@code -p} on the command line replaces a parameter's annotated values) and of the modes asked for. JMH does this
 * count itself but keeps it private; the progress lines need it before the first benchmark starts.
 */
final class RunPlan {
    private RunPlan() {
    }

    static int combinations(Options options, OutputFormat out) {
        int total = 0;
        int modes = Math.max(1, options.getBenchModes().size());
        for (BenchmarkListEntry entry : BenchmarkList.defaultList().find(out, options.getIncludes(),
                options.getExcludes())) {
            int combinations = modes;
            Map<String, String[]> params = entry.getParams().orElse(Map.of());
            for (Map.Entry<String, String[]> p : params.entrySet()) {
                Collection<String> override = options.getParameter(p.getKey()).orElse(null);
                combinations *= override != null ? override.size() : p.getValue().length;
            }
            total += combinations;
        }
        return total;
    }
}
