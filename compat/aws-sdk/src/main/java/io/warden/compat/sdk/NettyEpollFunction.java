package io.warden.compat.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.util.Map;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * DynamoDB on the SDK's Netty client with Netty's native epoll transport, whose JNI library Netty extracts from its jar
 * to the temporary directory and loads from there.
 */
public class NettyEpollFunction implements RequestHandler<Map<String, String>, String> {

    private final DynamoDbAsyncClient client;

    public NettyEpollFunction() {
        Epoll.ensureAvailability(); // fail at init, with Netty's own reason, rather than fall back silently
        client = Items.configure(DynamoDbAsyncClient.builder())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(SdkEventLoopGroup.create(new EpollEventLoopGroup(1), EpollSocketChannel::new)))
                .build();
    }

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        return Items.roundTrip(client, "netty-epoll", event.get("value"));
    }
}
