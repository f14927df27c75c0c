package io.warden.compat.sdk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Map;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** DynamoDB on the SDK's Netty client with Netty's Java NIO transport. */
public class NettyNioFunction implements RequestHandler<Map<String, String>, String> {

    private final DynamoDbAsyncClient client = Items.configure(DynamoDbAsyncClient.builder())
            .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(SdkEventLoopGroup.create(new NioEventLoopGroup(1), NioSocketChannel::new)))
            .build();

    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        return Items.roundTrip(client, "netty-nio", event.get("value"));
    }
}
