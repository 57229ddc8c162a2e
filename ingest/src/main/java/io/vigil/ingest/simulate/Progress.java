package io.vigil.ingest.simulate;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The live progress line of a simulation, once a second on its own daemon thread: events sent,
 * the rate over the last second, errors and elapsed time. On a terminal it rewrites one line
 * ({@code \r}); otherwise (a pipe, a log file) it prints a line each time.
 */
final class Progress implements AutoCloseable {

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier sent;
    private final LongSupplier failed;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "vigil-simulate-progress");
        thread.setDaemon(true);
        return thread;
    });
    private long lastSent;

    Progress(PrintStream out, boolean terminal, LongSupplier sent, LongSupplier failed) {
        this.out = out;
        this.terminal = terminal;
        this.sent = sent;
        this.failed = failed;
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        long now = sent.getAsLong();
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        String line = String.format(Locale.ROOT, "sent %,d events  %,d events/s  errors %,d  elapsed %ds",
                now, now - lastSent, failed.getAsLong(), seconds);
        lastSent = now;
        out.print(terminal ? "\r" + line + "   " : line + "\n");
        out.flush();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (terminal) {
            out.println();
        }
    }
}
