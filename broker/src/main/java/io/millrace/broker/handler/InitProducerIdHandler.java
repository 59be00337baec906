package io.millrace.broker.handler;

import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.broker.replica.ProducerIdManager;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.codec.InitProducerIdCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * InitProducerId for idempotent producers: a fresh producer id at epoch 0 from the
 * {@link ProducerIdManager}, as Kafka gives a producer without a transactional id. Transactions are
 * not supported yet, so a transactional id gets COORDINATOR_NOT_AVAILABLE.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdCodec.Request, InitProducerIdCodec.Response> {

    private final InitProducerIdCodec codec = new InitProducerIdCodec();
    private final ProducerIdManager producerIds;

    public InitProducerIdHandler(ProducerIdManager producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public InitProducerIdCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<InitProducerIdCodec.Response> handle(RequestContext context, InitProducerIdCodec.Request request) {
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(
                    new InitProducerIdCodec.Response(ErrorCode.COORDINATOR_NOT_AVAILABLE, -1, (short) -1));
        }
        return producerIds.nextProducerId().handle((producerId, failure) -> failure == null
                ? new InitProducerIdCodec.Response(ErrorCode.NONE, producerId, (short) 0)
                : new InitProducerIdCodec.Response(ErrorMapper.codeOf(failure), -1, (short) -1));
    }
}
