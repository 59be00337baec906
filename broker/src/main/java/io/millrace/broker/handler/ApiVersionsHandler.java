package io.millrace.broker.handler;

import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.HandlerRegistry;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.ApiVersionsCodec;
import io.millrace.protocol.codec.ApiVersionsCodec.ApiVersionRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ApiVersions, computed from the handler registry so the broker advertises exactly the APIs and
 * versions it has handlers for, from each handler's {@link ApiHandler#advertisedMinVersion()}
 * (Produce advertises version 0 and answers 0–2 with UNSUPPORTED_VERSION, as Kafka 4 does).
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsCodec.Request, ApiVersionsCodec.Response> {

    private final ApiVersionsCodec codec = new ApiVersionsCodec();
    private final HandlerRegistry registry;

    public ApiVersionsHandler(HandlerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiVersionsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<ApiVersionsCodec.Response> handle(RequestContext context, ApiVersionsCodec.Request request) {
        return CompletableFuture.completedFuture(new ApiVersionsCodec.Response(ErrorCode.NONE, ranges()));
    }

    /**
     * The answer to an ApiVersions request at a version this broker does not know. Like Kafka, it
     * lists only the ApiVersions range: the client retries at the highest version both know and then
     * learns everything else.
     */
    public EncodedResponse unsupportedVersionResponse(int correlationId) {
        List<ApiVersionRange> apiVersionsOnly = ranges().stream()
                .filter(range -> range.apiKeyId() == ApiKey.API_VERSIONS.id()).toList();
        return codec.encodeUnsupportedVersion(apiVersionsOnly, correlationId);
    }

    List<ApiVersionRange> ranges() {
        List<ApiVersionRange> ranges = new ArrayList<>();
        for (ApiHandler<?, ?> handler : registry.handlers()) {
            ranges.add(new ApiVersionRange(handler.codec().apiKey().id(), handler.advertisedMinVersion(),
                    handler.maxVersion()));
        }
        ranges.sort(Comparator.comparingInt(ApiVersionRange::apiKeyId));
        return ranges;
    }
}
