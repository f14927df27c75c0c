package io.warden.benchmarks;

/** The start-up benchmark's program: as little as a JVM can run. */
public final class Hello {

    private Hello() {}

    public static void main(String[] arguments) {
        System.out.println("hello");
    }
}
