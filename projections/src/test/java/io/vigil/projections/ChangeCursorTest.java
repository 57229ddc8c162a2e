package io.vigil.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChangeCursorTest {

    @Test
    void encodesAndDecodesEveryPosition() {
        ChangeCursor cursor = ChangeCursor.start();
        cursor.advance(0, 5, 41);
        cursor.advance(1, 0, 0);
        cursor.advance(2, 2, 1L << 40);
        ChangeCursor read = ChangeCursor.decode(cursor.encode());
        assertThat(read.next(0, 5)).isEqualTo(42);
        assertThat(read.next(0, 4)).isZero();
        assertThat(read.next(1, 0)).isEqualTo(1);
        assertThat(read.next(2, 2)).isEqualTo((1L << 40) + 1);
        assertThat(read.next(2, 7)).as("a partition the cursor does not know reads from its start").isZero();
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aRecordIsAheadOnlyPastThePosition() {
        ChangeCursor cursor = ChangeCursor.start();
        cursor.advance(1, 3, 9);
        assertThat(cursor.isAhead(1, 3, 9)).isFalse();
        assertThat(cursor.isAhead(1, 3, 10)).isTrue();
        cursor.advance(1, 3, 4);
        assertThat(cursor.next(1, 3)).as("never moves back").isEqualTo(10);
    }

    @Test
    void advanceToTakesTheFurtherOfEachPartition() {
        ChangeCursor a = ChangeCursor.start();
        a.advance(0, 0, 10);
        ChangeCursor b = ChangeCursor.start();
        b.advance(0, 0, 3);
        b.advance(2, 1, 7);
        a.advanceTo(b);
        assertThat(a.next(0, 0)).isEqualTo(11);
        assertThat(a.next(2, 1)).isEqualTo(8);
    }

    @Test
    void whatIsNotACursorIsRefused() {
        assertThatThrownBy(() -> ChangeCursor.decode("not a cursor!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeCursor.decode("AQ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeCursor.decode("Ag")).isInstanceOf(IllegalArgumentException.class);
        String valid = ChangeCursor.start().encode();
        assertThatThrownBy(() -> ChangeCursor.decode(valid + "AA")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCursorReachesAnotherWhenItIsAtOrPastItInEveryPartition() {
        ChangeCursor present = ChangeCursor.start();
        present.advance(1, 0, 4);
        present.advance(1, 2, 0);
        ChangeCursor same = present.copy();
        ChangeCursor ahead = present.copy();
        ahead.advance(0, 0, 9);
        ChangeCursor behind = ChangeCursor.start();
        behind.advance(1, 0, 9);

        assertThat(same.reaches(present)).isTrue();
        assertThat(ahead.reaches(present)).isTrue();
        assertThat(present.reaches(ahead)).isFalse();
        assertThat(behind.reaches(present)).as("behind in partition 2, which it does not know").isFalse();
        assertThat(present.reaches(ChangeCursor.start())).isTrue();
    }
}
