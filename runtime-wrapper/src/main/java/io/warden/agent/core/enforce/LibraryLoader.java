package io.warden.agent.core.enforce;

import java.io.File;

/** Loads a native library on a class's loader as {@code System.load} from that class would: the gate's, which alone can. */
public interface LibraryLoader {

    void load(Class<?> caller, File file);
}
