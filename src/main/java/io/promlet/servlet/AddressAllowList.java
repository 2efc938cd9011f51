package io.promlet.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code allowed-addresses} of {@link MetricsServlet}: IP addresses ({@code 127.0.0.1}, {@code ::1}) and
 * CIDR networks ({@code 10.0.0.0/8}, {@code fd00::/8}). Only literals are accepted, so nothing is ever looked
 * up in DNS. An IPv4 client seen as an IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) matches its IPv4
 * entries.
 */
final class AddressAllowList {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final byte[][] networks;
    private final int[] prefixLengths;

    private AddressAllowList(byte[][] networks, int[] prefixLengths) {
        this.networks = networks;
        this.prefixLengths = prefixLengths;
    }

    /**
     * @throws IllegalArgumentException naming the entry if one is not an IP address or CIDR network
     */
    static AddressAllowList parse(List<String> entries) {
        byte[][] networks = new byte[entries.size()][];
        int[] prefixLengths = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw invalid(entry, "not an IP address");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw invalid(entry, "the prefix length is not a number");
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw invalid(entry, "the prefix length must be 0 to " + address.length * 8);
                }
            }
            networks[i] = address;
            prefixLengths[i] = bits;
        }
        return new AddressAllowList(networks, prefixLengths);
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("\"" + entry + "\" is " + why);
    }

    /** True if the client address, as {@code getRemoteAddr()} gives it, is in one of the networks. */
    boolean allows(String remoteAddress) {
        String text = remoteAddress;
        if (text != null && text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int zone = text == null ? -1 : text.indexOf('%');
        byte[] address = literal(zone < 0 ? text : text.substring(0, zone));
        if (address == null) {
            return false;
        }
        for (int i = 0; i < networks.length; i++) {
            if (inNetwork(address, networks[i], prefixLengths[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean inNetwork(byte[] address, byte[] network, int prefixLength) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /** The bytes of an IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4), or null if it is not one. */
    private static byte[] literal(String text) {
        if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
