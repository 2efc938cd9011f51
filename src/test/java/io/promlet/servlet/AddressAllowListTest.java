package io.promlet.servlet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressAllowListTest {
    private static AddressAllowList of(String... entries) {
        return AddressAllowList.parse(List.of(entries));
    }

    @Test
    void singleAddresses() {
        AddressAllowList list = of("127.0.0.1", "::1");
        assertTrue(list.allows("127.0.0.1"));
        assertTrue(list.allows("0:0:0:0:0:0:0:1"));
        assertTrue(list.allows("[::1]"));
        assertFalse(list.allows("127.0.0.2"));
        assertFalse(list.allows("::2"));
    }

    @Test
    void cidrNetworks() {
        AddressAllowList list = of("10.0.0.0/8", "192.168.4.0/22", "fd00::/8");
        assertTrue(list.allows("10.255.3.4"));
        assertFalse(list.allows("11.0.0.1"));
        assertTrue(list.allows("192.168.7.255"));
        assertFalse(list.allows("192.168.8.0"));
        assertFalse(list.allows("192.168.3.255"));
        assertTrue(list.allows("fd12:3456::1"));
        assertFalse(list.allows("fe80::1"));
        assertTrue(of("0.0.0.0/0").allows("8.8.8.8"));
        assertFalse(of("0.0.0.0/0").allows("::1"), "IPv4 networks never match IPv6 clients");
    }

    @Test
    void ipv4MappedClientsMatchIpv4Entries() {
        assertTrue(of("10.0.0.0/8").allows("::ffff:10.1.2.3"));
        assertTrue(of("127.0.0.1").allows("0:0:0:0:0:ffff:7f00:1"));
    }

    @Test
    void zonesAreIgnoredAndGarbageIsRefused() {
        assertTrue(of("fe80::/10").allows("fe80::1%eth0"));
        assertFalse(of("0.0.0.0/0").allows("localhost"));
        assertFalse(of("0.0.0.0/0").allows(""));
        assertFalse(of("0.0.0.0/0").allows(null));
    }

    @Test
    void malformedEntriesAreRejectedWithoutDnsLookups() {
        for (String bad : List.of("localhost", "example.org", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "1.2.3", "10.0.0.0/-1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(bad), bad);
            assertTrue(e.getMessage().startsWith("\"" + bad + "\" is "), e.getMessage());
        }
    }
}
