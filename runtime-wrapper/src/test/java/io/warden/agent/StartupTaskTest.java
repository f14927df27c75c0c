package io.warden.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class StartupTaskTest {

    @Test
    void runsOnceWhoeverRunsItFirstAndEveryoneGetsItsResult() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StartupTask<String> task = new StartupTask<>(() -> {
            runs.incrementAndGet();
            running.countDown();
            release.await();
            return "gate";
        });
        Thread first = new Thread(task);
        first.start();
        running.await();

        task.run(); // another thread: returns at once, since the task is running
        assertThat(task.isDone()).isFalse();
        release.countDown();

        assertThat(task.get(5, TimeUnit.SECONDS)).isEqualTo("gate");
        assertThat(task.get()).isEqualTo("gate");
        task.run();
        first.join();
        assertThat(runs).hasValue(1);
        assertThat(task.isDone()).isTrue();
        assertThat(task.cancel(true)).isFalse();
    }

    @Test
    void aFailureReachesEveryoneWhoWaits() {
        StartupTask<Void> task = new StartupTask<>(() -> {
            throw new IllegalStateException("java.lang is not open");
        });
        task.run();

        assertThatThrownBy(task::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java.lang is not open");
    }

    @Test
    void waitingIsBounded() {
        StartupTask<Void> neverRun = new StartupTask<>(() -> null);

        assertThatThrownBy(() -> neverRun.get(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }
}
