package io.warden.policy.internal;

import io.warden.policy.Mode;
import java.util.List;

/**
 * One policy section with {@code allow} and {@code deny} lists.
 *
 * @param mode applied to operations that no list allows
 * @param denyMode applied to matches of {@code deny} and of the built-in deny set
 * @param allow null only for {@code dns} when it is not given (then it comes from {@code network.allow})
 */
public record Section<R extends Rule>(Mode mode, Mode denyMode, List<R> allow, List<R> deny) {
    public Section<R> withMode(Mode override) {
        return new Section<>(override, override, allow, deny);
    }
}
