package io.vigil.schemas.kafka;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;

/** Waits for an admin client's answers the way the rest of vigil's Kafka code expects its errors. */
public final class KafkaFutures {

    private KafkaFutures() {
    }

    /**
     * The future's value, waited for on the calling thread; a Kafka error is rethrown as it is, so
     * callers can catch the expected ones ({@code TopicExistsException}, a retriable one).
     *
     * @param action what the caller waits for, for the messages, e.g. {@code "describe topics"}
     * @throws KafkaException the future's Kafka error, or one wrapping any other cause
     * @throws InterruptException if the thread is interrupted meanwhile
     */
    public static <V> V await(KafkaFuture<V> future, String action) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while waiting to " + action, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException kafkaError) {
                throw kafkaError;
            }
            throw new KafkaException("cannot " + action + ": " + e.getCause(), e.getCause());
        }
    }
}
