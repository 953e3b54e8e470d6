package org.softmax4j;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only {@link System.LoggerFinder} (registered in META-INF/services): records every message logged through
 * System.Logger, and still prints it, so tests can assert what the library said.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
    record Entry(String logger, System.Logger.Level level, String message) {}

    static final List<Entry> RECORDED = new CopyOnWriteArrayList<>();

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
                record(level, message);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                record(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
            }

            private void record(Level level, String message) {
                RECORDED.add(new Entry(name, level, message));
                System.err.println("[" + level + "] " + name + ": " + message);
            }
        };
    }
}
