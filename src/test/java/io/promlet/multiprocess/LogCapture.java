package io.promlet.multiprocess;

import io.promlet.ThrowingRunnable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the warnings that the multi-process classes log through System.Logger (backed by java.util.logging). */
final class LogCapture {
    private static final String[] LOGGERS = {
            MultiProcessCollector.class.getName(), SharedDirectory.class.getName(), MappedValueStore.class.getName(),
            MultiProcess.class.getName()};

    private LogCapture() {
    }

    static <E extends Exception> List<String> warnings(ThrowingRunnable<E> action) throws E {
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    messages.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger[] loggers = new Logger[LOGGERS.length];
        for (int i = 0; i < LOGGERS.length; i++) {
            loggers[i] = Logger.getLogger(LOGGERS[i]);
            loggers[i].addHandler(handler);
        }
        try {
            action.run();
        } finally {
            for (Logger logger : loggers) {
                logger.removeHandler(handler);
            }
        }
        return messages;
    }
}
