package io.vigil.ingest.prober;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import reactor.core.publisher.Mono;

/**
 * Kuma's {@code tcp: {}} check: healthy when a TCP connection to the workload opens. Uses an
 * asynchronous channel, so thousands of checks in flight hold no thread each; the connection is
 * closed as soon as it opens (nothing is sent), or when the check is cancelled.
 */
public final class TcpConnectCheck implements WorkloadCheck {

    @Override
    public Mono<CheckOutcome> check(InetSocketAddress workload, ProbeTarget target) {
        return Mono.create(sink -> {
            AsynchronousSocketChannel channel;
            try {
                channel = AsynchronousSocketChannel.open();
            } catch (IOException e) {
                sink.success(CheckOutcome.unhealthy("cannot open a socket: " + e.getMessage()));
                return;
            }
            sink.onDispose(() -> close(channel));
            channel.connect(workload, null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void result, Void attachment) {
                    sink.success(CheckOutcome.healthy("connected"));
                }

                @Override
                public void failed(Throwable failure, Void attachment) {
                    sink.success(CheckOutcome.unhealthy(describe(failure)));
                }
            });
        });
    }

    /** A connect failure for people: {@code connect refused}, else the exception's message. */
    static String describe(Throwable failure) {
        if (failure instanceof ConnectException) {
            return "connect refused";
        }
        return "connect failed: " + (failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName());
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a probe socket can only fail if it is already gone: nothing to release.
        }
    }
}
