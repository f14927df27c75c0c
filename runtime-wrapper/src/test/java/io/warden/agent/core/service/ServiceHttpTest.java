package io.warden.agent.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The agent's own reading of the service's answers: the framings a server uses, and bounds on what it reads. */
@Tag("fast")
class ServiceHttpTest {

    private static ServiceHttp.Response read(String answer, int maxBody) throws IOException {
        return ServiceHttp.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.ISO_8859_1)), maxBody);
    }

    @Test
    void readsAnAnswerWithALengthAndItsHeadersByLowerCaseName() throws IOException {
        ServiceHttp.Response response =
                read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Warden-Signature: c2ln\r\n\r\nhelloEXTRA", 100);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.headers).containsEntry("x-warden-signature", "c2ln");
        assertThat(new String(response.body, StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void readsAChunkedAnswerAndOneThatEndsWithTheConnection() throws IOException {
        assertThat(new String(
                        read(
                                        "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                                        100)
                                .body,
                        StandardCharsets.US_ASCII))
                .isEqualTo("abcde");
        assertThat(new String(read("HTTP/1.0 404 Not Found\r\n\r\nnone here", 100).body, StandardCharsets.US_ASCII))
                .isEqualTo("none here");
    }

    @Test
    void refusesWhatIsTooLongTruncatedOrNotHttp() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", 100))
                .hasMessageContaining("longer than 100 bytes");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n80000000\r\n", 100))
                .hasMessageContaining("longer than 100 bytes");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(101), 100))
                .hasMessageContaining("longer than 100 bytes");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 100))
                .hasMessageContaining("ended early");
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n", 100)).hasMessageContaining("not an HTTP/1.1 answer");
    }
}
