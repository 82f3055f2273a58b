package com.leadforge.gateway.ratelimit;

import java.util.Map;

import com.leadforge.testsupport.RedisServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real redis-server on a free port for the gateway under test to share its rate-limit buckets through. */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer redis;

    @Override
    public Map<String, String> start() {
        redis = RedisServer.startEphemeral();
        return Map.of("leadforge.gateway.rate-limit.redis-url", redis.url());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
