package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContainerDeploymentIT {

    @ParameterizedTest
    @EnumSource(StandaloneContainer.Kind.class)
    void servesTheWar(StandaloneContainer.Kind kind, @TempDir Path base) throws Exception {
        try (StandaloneContainer container = StandaloneContainer.startWithWar(kind, base, "/hello")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(container.uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hello\n", r.body());
        }
    }
}
