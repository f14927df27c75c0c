package io.warden.policy.internal;

import io.warden.policy.Mode;
import java.util.List;

/** The {@code files} section; see {@link Section} for the modes. */
public record FileSection(Mode mode, Mode denyMode, List<Glob> read, List<Glob> write, List<Glob> deny) {
    public FileSection withMode(Mode override) {
        return new FileSection(override, override, read, write, deny);
    }
}
