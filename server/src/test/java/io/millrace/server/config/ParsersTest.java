package io.millrace.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParsersTest {

    @Test
    void listenersParseNameHostAndPortInOrder() {
        assertThat(Parsers.listeners().parse("PLAINTEXT://localhost:9092, internal://10.0.0.1:9094"))
                .containsExactly(new ListenerAddress("PLAINTEXT", "localhost", 9092),
                        new ListenerAddress("INTERNAL", "10.0.0.1", 9094));
    }

    @Test
    void listenerHostMayBeEmptyOrWildcardOrBracketedIpv6() {
        assertThat(Parsers.listeners().parse("A://:9092,B://0.0.0.0:9093,C://[::1]:9094"))
                .containsExactly(new ListenerAddress("A", "", 9092), new ListenerAddress("B", "0.0.0.0", 9093),
                        new ListenerAddress("C", "::1", 9094));
    }

    @Test
    void listenerPrintsInKafkaForm() {
        assertThat(new ListenerAddress("PLAINTEXT", "::1", 9092)).hasToString("PLAINTEXT://[::1]:9092");
        assertThat(new ListenerAddress("PLAINTEXT", "localhost", 9092)).hasToString("PLAINTEXT://localhost:9092");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "localhost:9092; is not of the form NAME://host:port",
            "PLAINTEXT://localhost; expected host:port",
            "PLAINTEXT://localhost:http; is not a number",
            "PLAINTEXT://localhost:70000; outside 0-65535",
            "PLAINTEXT://::1:9092; must be written in brackets",
            "SSL://localhost:9093; plaintext only",
            "'A://h:1,a://h:2'; appears more than once",
            "' , '; at least one listener"})
    void badListenersAreExplained(String text, String reason) {
        assertThatThrownBy(() -> Parsers.listeners().parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void votersParseIdsAndAddressesInOrder() {
        Map<Integer, InetSocketAddress> voters = Parsers.voters().parse("3@c:9093,1@a:9093, 2@[::1]:19093");
        assertThat(voters.keySet()).containsExactly(3, 1, 2);
        assertThat(voters.get(2).getHostString()).isEqualTo("::1");
        assertThat(voters.get(2).getPort()).isEqualTo(19093);
        assertThat(voters.get(1).isUnresolved()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "localhost:9093; is not of the form id@host:port",
            "x@localhost:9093; is not of the form id@host:port",
            "-1@localhost:9093; voter id must be at least 0",
            "1@localhost; expected host:port",
            "1@0.0.0.0:9093; needs an address other nodes can reach",
            "'1@a:9093,1@b:9093'; appears more than once",
            "''; at least one voter"})
    void badVotersAreExplained(String text, String reason) {
        assertThatThrownBy(() -> Parsers.voters().parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void hostPortKeepsHostUnresolvedAndAllowsEmptyHost() {
        InetSocketAddress address = Parsers.hostPort().parse("localhost:8090");
        assertThat(address.isUnresolved()).isTrue();
        assertThat(address.getHostString()).isEqualTo("localhost");
        assertThat(Parsers.hostPort().parse(":8090").getHostString()).isEmpty();
    }

    @Test
    void singleDirectoryRejectsSeveralDirectoriesNamingThem() {
        assertThatThrownBy(() -> Parsers.singleDirectory().parse("/d1,/d2"))
                .hasMessageContaining("exactly one directory")
                .hasMessageContaining("/d1, /d2");
        assertThat(Parsers.singleDirectory().parse("/d1,").toString()).isEqualTo("/d1");
    }

    @Test
    void numbersAreRangeChecked() {
        assertThat(Parsers.intAtLeast(1).parse("7")).isEqualTo(7);
        assertThatThrownBy(() -> Parsers.intAtLeast(1).parse("0")).hasMessage("must be at least 1");
        assertThatThrownBy(() -> Parsers.intAtLeast(1).parse("3000000000")).hasMessageContaining("32-bit");
        assertThatThrownBy(() -> Parsers.shortAtLeast((short) 1).parse("40000")).hasMessage("must be at most 32767");
        assertThatThrownBy(() -> Parsers.longAtLeast(-1).parse("1.5")).hasMessage("must be a 64-bit integer");
    }

    @Test
    void booleansAndChoicesIgnoreCase() {
        assertThat(Parsers.bool().parse("TRUE")).isTrue();
        assertThatThrownBy(() -> Parsers.bool().parse("yes")).hasMessage("must be true or false");
        assertThat(Parsers.oneOf("durable", "relaxed").parse("Relaxed")).isEqualTo("relaxed");
        assertThatThrownBy(() -> Parsers.oneOf("durable", "relaxed").parse("sometimes"))
                .hasMessage("must be one of durable, relaxed");
    }

    @Test
    void listSplittingIgnoresBlankItems() {
        assertThat(Parsers.splitList(" a, ,b ,")).isEqualTo(List.of("a", "b"));
    }
}
