package io.warden.aws.scan;

/** Told as each function's scan ends (for a progress bar). Called from the scan's threads. */
public interface ScanProgress {
    ScanProgress NONE = (done, total, function) -> {};

    void functionDone(int done, int total, String functionName);
}
