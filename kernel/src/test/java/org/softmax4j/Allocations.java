package org.softmax4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The allocation tests' measuring and, when they fail, where the bytes come from. A Vector API value that C2 did not
 * keep in registers is boxed; which call did it depends on compile order, so a failure must say where in the same
 * run: {@link #where} records the allocations of a few more calls with JDK Flight Recorder and names the allocating
 * frames.
 */
final class Allocations {
    private Allocations() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes this thread allocates running {@code call} {@code times} times. */
    static long bytes(Runnable call, int times) {
        long thread = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        for (int i = 0; i < times; i++) {
            call.run();
        }
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }

    /**
     * The allocating frames of {@code call}, most frequent first: for each allocation sample, the class allocated,
     * the frame that allocated it and the first softmax4j frame below it, e.g. {@code "FloatVector at
     * Float256Vector.<init> from vector.ExpSum.pairs: 12"}. Empty if JFR saw nothing.
     */
    static String where(Runnable call, int times) {
        Path file = null;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "off").withStackTrace();
            recording.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
            recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
            recording.start();
            for (int i = 0; i < times; i++) {
                call.run();
            }
            recording.stop();
            file = Files.createTempFile("softmax4j-allocations", ".jfr");
            recording.dump(file);
            Map<String, Integer> counts = new HashMap<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getThread() == null || event.getThread().getJavaThreadId() != Thread.currentThread().threadId()
                        || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                String top = frames.isEmpty() ? "?" : name(frames.get(0));
                String ours = frames.stream().map(Allocations::name).filter(f -> f.startsWith("org.softmax4j.")
                        && !f.startsWith("org.softmax4j.Allocations")).findFirst().orElse("?");
                String klass = event.getClass("objectClass") == null ? "?" : event.getClass("objectClass").getName();
                counts.merge(klass.substring(klass.lastIndexOf('.') + 1) + " at " + top + " from "
                        + ours.substring("org.softmax4j.".length()), 1, Integer::sum);
            }
            return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(6).map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
        } catch (IOException | RuntimeException e) {
            return "(no JFR record: " + e + ")";
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type + "." + frame.getMethod().getName() + (frame.isJavaFrame() ? ":" + frame.getLineNumber() : "");
    }
}
