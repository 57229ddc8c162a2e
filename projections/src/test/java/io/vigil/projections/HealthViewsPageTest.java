package io.vigil.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.HealthStatus;
import io.vigil.avro.ProxyState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** Paging a mesh's dataplanes and services straight off the sorted views, as the list endpoints do. */
class HealthViewsPageTest {

    private static final BiPredicate<String, ProxyState> EVERY = (name, state) -> true;
    private static final BiPredicate<String, ProxyState> ONLINE = (name, state) -> state.getStatus() == HealthStatus.ONLINE;
    private static final List<String> NAMES = List.of("a", "ab", "abc", "b", "b-1", "c", "d", "e");

    private final HealthViews views = new HealthViews();

    HealthViewsPageTest() {
        for (int i = 0; i < NAMES.size(); i++) {
            dataplane("m", NAMES.get(i), i % 3 == 0 ? HealthStatus.OFFLINE : HealthStatus.ONLINE);
        }
        // Meshes that sort right before and right after "m", with names that would fit into m's pages.
        for (String mesh : List.of("l", "m-2", "m0", "ma", "n")) {
            for (String name : List.of("", "a", "abz", "b", "z")) {
                dataplane(mesh, name, HealthStatus.ONLINE);
            }
        }
    }

    @Test
    void pagesConcatenateToTheWholeSortedList() {
        for (int size = 1; size <= NAMES.size() + 1; size++) {
            assertThat(allPages("m", "", size, EVERY)).as("size " + size).containsExactlyElementsOf(NAMES);
        }
        assertThat(allPages("m", "", 2, ONLINE)).containsExactly("ab", "abc", "b-1", "c", "e");
        assertThat(allPages("m", "ab", 1, EVERY)).containsExactly("ab", "abc");
    }

    @Test
    void aPageSaysWhetherMoreMatchesFollow() {
        HealthViews.Page<ProxyState> first = views.dataplanePage("m", null, "", 3, EVERY);
        assertThat(names(first)).containsExactly("a", "ab", "abc");
        assertThat(first.more()).isTrue();
        HealthViews.Page<ProxyState> exact = views.dataplanePage("m", "c", "", 3, EVERY);
        assertThat(names(exact)).containsExactly("d", "e");
        assertThat(exact.more()).isFalse();
        // d is offline: after "c" only "e" matches, so no next page.
        HealthViews.Page<ProxyState> filtered = views.dataplanePage("m", "b-1", "", 1, ONLINE);
        assertThat(names(filtered)).containsExactly("c");
        assertThat(filtered.more()).isTrue();
        assertThat(views.dataplanePage("m", "c", "", 1, ONLINE).more()).isFalse();
    }

    @Test
    void aCursorBetweenTwoNamesResumesAtTheNextName() {
        assertThat(names(views.dataplanePage("m", "abz", "", 2, EVERY))).containsExactly("b", "b-1");
        assertThat(names(views.dataplanePage("m", "b-0", "", 2, EVERY))).containsExactly("b-1", "c");
        assertThat(names(views.dataplanePage("m", "", "", 2, EVERY))).as("the empty name is a cursor too").containsExactly("a", "ab");
    }

    @Test
    void aCursorPastTheEndGivesAnEmptyLastPage() {
        HealthViews.Page<ProxyState> page = views.dataplanePage("m", "zzz", "", 5, EVERY);
        assertThat(page.entries()).isEmpty();
        assertThat(page.more()).isFalse();
        assertThat(views.dataplanePage("m", "e", "", 5, EVERY).entries()).isEmpty();
    }

    @Test
    void theCursorAndThePrefixTakeTheFurtherOfTheTwo() {
        assertThat(names(views.dataplanePage("m", "a", "b", 5, EVERY))).as("cursor before the prefix").containsExactly("b", "b-1");
        assertThat(names(views.dataplanePage("m", "b", "b", 5, EVERY))).as("cursor within the prefix").containsExactly("b-1");
        assertThat(names(views.dataplanePage("m", "c", "b", 5, EVERY))).as("cursor past the prefix").isEmpty();
        assertThat(names(views.dataplanePage("m", null, "x", 5, EVERY))).isEmpty();
    }

    @Test
    void anotherMeshsEntriesNeverLeakIntoAPage() {
        for (String after : List.of("", "a", "abz", "e", "zzz")) {
            HealthViews.Page<ProxyState> page = views.dataplanePage("m", after, "", 100, EVERY);
            assertThat(page.entries()).allSatisfy(e -> assertThat(e.getKey()[0]).isEqualTo("m"));
        }
        assertThat(allPages("l", "", 2, EVERY)).containsExactly("", "a", "abz", "b", "z");
        assertThat(allPages("m-2", "", 1, EVERY)).containsExactly("", "a", "abz", "b", "z");
        assertThat(allPages("nowhere", "", 3, EVERY)).isEmpty();
        // A name that sorts after "\uffff" is still in its mesh, and only there.
        dataplane("m", "\uffff\uffff", HealthStatus.ONLINE);
        assertThat(names(views.dataplanePage("m", "e", "", 5, EVERY))).containsExactly("\uffff\uffff");
        assertThat(views.dataplanes("m", ReadScope.EVERY_MESH)).extracting(e -> e.getKey()[1]).endsWith("e", "\uffff\uffff");
    }

    @Test
    void aPageReadsOnlyWhatItNeeds() {
        for (int i = 0; i < 1000; i++) {
            dataplane("big", String.format("dp-%04d", i), HealthStatus.ONLINE);
        }
        AtomicInteger tested = new AtomicInteger();
        HealthViews.Page<ProxyState> page = views.dataplanePage("big", "dp-0500", "", 10, (name, state) -> tested.incrementAndGet() > 0);
        assertThat(names(page)).first().isEqualTo("dp-0501");
        assertThat(page.more()).isTrue();
        assertThat(tested).as("the page and one more, from the cursor").hasValue(11);

        tested.set(0);
        views.dataplanePage("big", null, "dp-07", 1000, (name, state) -> tested.incrementAndGet() > 0);
        assertThat(tested).as("only the names with the prefix").hasValue(100);
    }

    @Test
    void agreesWithFilteringTheWholeMesh() {
        List<String> afters = new ArrayList<>(List.of("", "0", "abz", "b-0", "zzz"));
        afters.addAll(NAMES);
        afters.add(null);
        for (String after : afters) {
            for (String prefix : List.of("", "a", "ab", "b", "b-", "z")) {
                for (int size : new int[] {1, 2, 3, 8}) {
                    for (BiPredicate<String, ProxyState> filter : List.of(EVERY, ONLINE)) {
                        HealthViews.Page<ProxyState> page = views.dataplanePage("m", after, prefix, size, filter);
                        // What the list endpoints did before: filter a copy of the whole mesh.
                        List<String> matches = views.dataplanes("m", ReadScope.EVERY_MESH).stream().map(e -> e.getKey()[1])
                                .filter(name -> name.startsWith(prefix) && (after == null || name.compareTo(after) > 0))
                                .filter(name -> filter.test(name, views.dataplane("m", name).state())).toList();
                        String what = "after " + after + ", prefix " + prefix + ", size " + size;
                        assertThat(names(page)).as(what).containsExactlyElementsOf(matches.subList(0, Math.min(size, matches.size())));
                        assertThat(page.more()).as(what).isEqualTo(matches.size() > size);
                    }
                }
            }
        }
    }

    @Test
    void servicesPageTheSameWay() {
        for (String name : List.of("web", "api", "db", "cache")) {
            views.apply(TestChanges.serviceChange("m", name, HealthStatus.ONLINE, 1));
        }
        views.apply(TestChanges.serviceChange("n", "aaa", HealthStatus.ONLINE, 1));
        HealthViews.Page<?> first = views.servicePage("m", null, "", 2, (name, state) -> true);
        assertThat(first.entries()).extracting(e -> e.getKey()[1]).containsExactly("api", "cache");
        assertThat(first.more()).isTrue();
        HealthViews.Page<?> second = views.servicePage("m", "cache", "", 2, (name, state) -> true);
        assertThat(second.entries()).extracting(e -> e.getKey()[1]).containsExactly("db", "web");
        assertThat(second.more()).isFalse();
    }

    private void dataplane(String mesh, String name, HealthStatus status) {
        views.apply(TestChanges.proxyChange(mesh, name, status, 1, "web"));
    }

    /** Every page of the list, each from the last name of the one before, as a client follows {@code next}. */
    private List<String> allPages(String mesh, String prefix, int size, BiPredicate<String, ProxyState> filter) {
        List<String> all = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            HealthViews.Page<ProxyState> page = views.dataplanePage(mesh, after, prefix, size, filter);
            assertThat(page.entries().size()).isLessThanOrEqualTo(size);
            all.addAll(names(page));
            if (!page.more()) {
                return all;
            }
            assertThat(page.entries()).as("a page with more after it is full").hasSize(size);
            after = page.entries().get(page.entries().size() - 1).getKey()[1];
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> names(HealthViews.Page<ProxyState> page) {
        return page.entries().stream().map(Map.Entry::getKey).map(key -> key[1]).toList();
    }
}
