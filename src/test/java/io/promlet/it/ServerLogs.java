package io.promlet.it;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** What a server's log says about a library: its warnings, errors and stack frames. */
final class ServerLogs {

    private static final Pattern PROBLEM = Pattern.compile("WARN|ERROR|SEVERE|FATAL|Exception|Error\\b|^\\s+at ");
    /**
     * Known and harmless: WildFly offers injection to every AsyncListener class and says, at deployment, that it
     * cannot make one of the filter's, which only the filter creates (with its constructor's arguments).
     */
    private static final String WILDFLY_LISTENER_NOTICE =
            "WFLYEE0007: Not installing optional component io.promlet.servlet.AsyncCompletion";

    private ServerLogs() {
    }

    /**
     * The distinct lines of {@code logs} that name {@code word} (ignoring case) and are a warning, an error, an
     * exception or a stack frame (except the one known notice of WildFly's below).
     */
    static List<String> problemsNaming(String logs, String word) {
        String lowerWord = word.toLowerCase(Locale.ROOT);
        return logs.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).contains(lowerWord))
                .filter(line -> PROBLEM.matcher(line).find())
                .filter(line -> !line.contains(WILDFLY_LISTENER_NOTICE))
                .distinct()
                .toList();
    }
}
