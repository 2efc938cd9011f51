package io.promlet.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryStringTest {
    @Test
    void decodesAsFormsDo() {
        assertEquals(List.of("a", "b c", "x=y", "€", ""),
                QueryString.values("name%5B%5D=a&name[]=b+c&other=1&name[]=x=y&name%5b%5d=%E2%82%AC&name[]", "name[]"));
        assertEquals(List.of(), QueryString.values(null, "name[]"));
        assertEquals(List.of(), QueryString.values("", "name[]"));
        assertEquals(List.of("1"), QueryString.values("&&a=1&", "a"));
    }

    @Test
    void refusesAMalformedQueryAsAWhole() {
        for (String query : List.of("name%5B%5D=%ZZ", "name%5B%5D=%E2%80", "name%5B%5D=%", "name[]=ok&other=%4", "%C3=1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> QueryString.values(query, "name[]"), query);
            assertTrue(e.getMessage().startsWith("malformed query"), e.getMessage());
        }
    }
}
