package io.warden.policy.internal;

import java.util.List;

/**
 * The inbound half of the {@code network} section: the local ports servers may listen on, and the peers whose
 * connections may be accepted (addresses and ranges; a peer has no resolved name).
 */
public record Inbound(List<PortRange> listen, List<NetworkRule> accept) {
    public static final Inbound NONE = new Inbound(List.of(), List.of());
}
