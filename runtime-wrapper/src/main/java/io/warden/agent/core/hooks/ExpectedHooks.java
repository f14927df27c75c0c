package io.warden.agent.core.hooks;

import java.util.ArrayList;
import java.util.List;

/**
 * The hooks that must be woven on each JDK: every hook of a JDK class, except those whose method exists only on some
 * JDKs. The sets of 17, 21 and 25 (the Lambda Java runtimes) are verified: 17 and 25 by the agent tests, which run the
 * self-check there, 21 against its sources ({@code ExpectedHooksTest}); a JDK between two of them takes the set of the
 * one below. The agent's self-check ({@link HookSelfCheck}) holds each hooked class against this as it is woven.
 */
public final class ExpectedHooks {

    private ExpectedHooks() {}

    /** The hooks expected on the JDK of this feature release, in declaration order. */
    public static List<Hook> forJdk(int feature) {
        List<Hook> expected = new ArrayList<>();
        for (Hook hook : Hook.values()) {
            if (hook.owner != null && firstJdk(hook) <= feature && feature <= lastJdk(hook)) {
                expected.add(hook);
            }
        }
        return expected;
    }

    /** The JDK class a hook weaves, as {@link Class#getName} spells it; null for the handler's hooks. */
    public static String ownerClassName(Hook hook) {
        return hook.owner == null ? null : hook.owner.replace('/', '.');
    }

    private static int firstJdk(Hook hook) {
        switch (hook) {
            case DNS_CACHED_LOOKUP_FAILURE:
            case DNS_ANSWER_LOOKUP:
                return 21; // InetAddress$CachedLookup
            case DNS_REVERSE_RESOLVER:
                return 18; // InetAddress$PlatformResolver
            case NET_ACCEPT:
                return 21; // Socket.setConnectedImpl
            case NIO_STAT_ERRNO:
            case NIO_ACCESS_ERRNO:
                return 21; // UnixNativeDispatcher's stat2, and access returning errno
            case FOREIGN_DOWNCALL:
            case FOREIGN_LIBRARY:
                return 22; // the foreign function API, a preview before (usable only with --enable-preview)
            default:
                return 17;
        }
    }

    private static int lastJdk(Hook hook) {
        switch (hook) {
            case DNS_CACHED_FAILURE:
            case DNS_ANSWER:
                return 20; // InetAddress$CachedAddresses
            case NET_ACCEPT_JDK17:
                return 20; // Socket.postAccept
            case NIO_STAT_MODE:
            case NIO_ACCESS:
            case NIO_EXISTS:
                return 20; // UnixNativeDispatcher's stat returning the mode, access throwing, exists
            case LEGACY_CONNECT:
            case LEGACY_DATAGRAM_CONNECT:
            case LEGACY_DATAGRAM_SEND:
            case DNS_REVERSE_NAME_SERVICE:
                return 17; // the legacy socket implementations and InetAddress$PlatformNameService, gone in JDK 18
            default:
                return Integer.MAX_VALUE;
        }
    }
}
