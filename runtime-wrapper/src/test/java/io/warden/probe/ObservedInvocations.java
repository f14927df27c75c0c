package io.warden.probe;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Invocations of a handler the agent wraps ({@code _HANDLER} names {@link #handleRequest}), each opening a file no
 * invocation opened before, so that each ends with an observation line. Arguments: the directory of the files (absent
 * ones do: the attempt is what is observed) and how many invocations.
 */
public final class ObservedInvocations {

    private ObservedInvocations() {}

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        int invocations = Integer.parseInt(args[1]);
        for (int i = 0; i < invocations; i++) {
            // Letters only: a name of digits would be generalised to "*", and all would be one item.
            String name = "file-" + (char) ('a' + i / 26) + (char) ('a' + i % 26);
            handleRequest(directory.resolve(name).toString());
        }
        System.out.println("INVOKED " + invocations);
    }

    public static void handleRequest(String path) {
        try (FileInputStream in = new FileInputStream(path)) {
            in.read();
        } catch (IOException absent) {
            // Opening it is what the invocation does.
        }
    }
}
