package io.promlet.it;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a server's log says about a library: its warnings, errors and stack frames. */
final class ServerLogs {

    private static final Pattern PROBLEM = Pattern.compile("WARN|ERROR|SEVERE|FATAL|Exception|Error\\b");
    /**
     * Known and harmless: WildFly offers injection to every AsyncListener class and says, at deployment, that it
     * cannot make one of the filter's, which only the filter creates (with its constructor's arguments).
     */
    private static final String WILDFLY_LISTENER_NOTICE =
            "WFLYEE0007: Not installing optional component io.promlet.servlet.AsyncCompletion";

    private ServerLogs() {
    }

    /**
     * The distinct lines of {@code logs} that name one of {@code words} (ignoring case) and are a warning, an error or
     * an exception (except the one known notice of WildFly's below).
     */
    static List<String> problemsNaming(String logs, String... words) {
        List<String> lowerWords = Stream.of(words).map(word -> word.toLowerCase(Locale.ROOT)).toList();
        return logs.lines()
                .filter(line -> lowerWords.stream().anyMatch(line.toLowerCase(Locale.ROOT)::contains))
                .filter(line -> PROBLEM.matcher(line).find())
                .filter(line -> !line.contains(WILDFLY_LISTENER_NOTICE))
                .distinct()
                .toList();
    }
}
