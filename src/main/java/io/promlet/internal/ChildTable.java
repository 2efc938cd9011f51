package io.promlet.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The children of a labelled metric, keyed by label values. Lookups read immutable chains and allocate
 * nothing, so {@code labels(...)} on an existing child costs a hash and a few comparisons; inserts and
 * removals take a lock, which only the first use of a label combination pays.
 */
public final class ChildTable<C> {
    private static final class Entry<C> {
        final int hash;
        final String[] values;
        final C child;
        final Entry<C> next;

        Entry(int hash, String[] values, C child, Entry<C> next) {
            this.hash = hash;
            this.values = values;
            this.child = child;
            this.next = next;
        }
    }

    /** Insertion order, for stable output. Entries below {@code size} never change once published. */
    private static final class Order<C> {
        private final Entry<C>[] entries;
        private final int size;

        Order(Entry<C>[] entries, int size) {
            this.entries = entries;
            this.size = size;
        }

        Entry<C>[] entries() {
            return entries;
        }

        int size() {
            return size;
        }
    }

    private volatile AtomicReferenceArray<Entry<C>> table = new AtomicReferenceArray<>(16);
    private volatile Order<C> order = new Order<>(newEntries(16), 0);

    /** The child for these values, or null. The values are not kept. */
    public C get(int hash, String[] values) {
        for (Entry<C> e = first(hash); e != null; e = e.next) {
            if (e.hash == hash && sameValues(e.values, values)) {
                return e.child;
            }
        }
        return null;
    }

    /** {@link #get(int, String[])} for one value, which every child of this table has. */
    public C get(int hash, String value) {
        for (Entry<C> e = first(hash); e != null; e = e.next) {
            if (e.hash == hash && same(e.values[0], value)) {
                return e.child;
            }
        }
        return null;
    }

    /** {@link #get(int, String[])} for two values, which every child of this table has. */
    public C get(int hash, String value1, String value2) {
        for (Entry<C> e = first(hash); e != null; e = e.next) {
            if (e.hash == hash && same(e.values[0], value1) && same(e.values[1], value2)) {
                return e.child;
            }
        }
        return null;
    }

    /** {@link #get(int, String[])} for three values, which every child of this table has. */
    public C get(int hash, String value1, String value2, String value3) {
        for (Entry<C> e = first(hash); e != null; e = e.next) {
            if (e.hash == hash && same(e.values[0], value1) && same(e.values[1], value2) && same(e.values[2], value3)) {
                return e.child;
            }
        }
        return null;
    }

    private Entry<C> first(int hash) {
        AtomicReferenceArray<Entry<C>> t = table;
        return t.get(hash & (t.length() - 1));
    }

    /** The child for these values, created by the factory (with a copy of the values) if absent. */
    public synchronized C computeIfAbsent(int hash, String[] values, Function<String[], C> factory) {
        C existing = get(hash, values);
        if (existing != null) {
            return existing;
        }
        String[] copy = values.clone();
        C child = factory.apply(copy);
        if (order.size() == table.length() * 3 / 4) {
            resize(table.length() * 2);
        }
        Order<C> o = order;
        AtomicReferenceArray<Entry<C>> t = table;
        int slot = hash & (t.length() - 1);
        Entry<C> entry = new Entry<>(hash, copy, child, t.get(slot));
        t.set(slot, entry);
        Entry<C>[] entries = o.entries().length > o.size() ? o.entries() : Arrays.copyOf(o.entries(), o.size() * 2);
        entries[o.size()] = entry;
        order = new Order<>(entries, o.size() + 1);
        return child;
    }

    /** Removes the child for these values; true if there was one. */
    public synchronized boolean remove(int hash, String[] values) {
        if (get(hash, values) == null) {
            return false;
        }
        List<Entry<C>> kept = new ArrayList<>();
        Order<C> o = order;
        for (int i = 0; i < o.size(); i++) {
            Entry<C> e = o.entries()[i];
            if (e.hash != hash || !sameValues(e.values, values)) {
                kept.add(e);
            }
        }
        rebuild(kept, table.length());
        return true;
    }

    /** Removes every child. */
    public synchronized void clear() {
        rebuild(List.of(), 16);
    }

    /** Calls the action with each child's values and the child, in insertion order. */
    public void forEach(BiConsumer<String[], C> action) {
        Order<C> o = order;
        for (int i = 0; i < o.size(); i++) {
            action.accept(o.entries()[i].values, o.entries()[i].child);
        }
    }

    /** Number of children. */
    public int size() {
        return order.size();
    }

    private void resize(int capacity) {
        Order<C> o = order;
        List<Entry<C>> all = new ArrayList<>(o.size());
        for (int i = 0; i < o.size(); i++) {
            all.add(o.entries()[i]);
        }
        rebuild(all, capacity);
    }

    private void rebuild(List<Entry<C>> entries, int capacity) {
        AtomicReferenceArray<Entry<C>> t = new AtomicReferenceArray<>(capacity);
        Entry<C>[] ordered = newEntries(Math.max(16, capacity));
        int n = 0;
        for (Entry<C> e : entries) {
            int slot = e.hash & (capacity - 1);
            Entry<C> copy = new Entry<>(e.hash, e.values, e.child, t.get(slot));
            t.set(slot, copy);
            ordered[n++] = copy;
        }
        table = t;
        order = new Order<>(ordered, n);
    }

    private static boolean sameValues(String[] a, String[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!same(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(String a, String b) {
        return a == b || a.equals(b);
    }

    @SuppressWarnings("unchecked")
    private static <C> Entry<C>[] newEntries(int n) {
        return (Entry<C>[]) new Entry<?>[n];
    }
}
