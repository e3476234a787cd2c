/**
 * Raft peer messaging over Aeron UDP: {@link io.crema.transport.aeron.AeronTransport} (one
 * publication per peer, one subscription per node, all groups), its validating {@link
 * io.crema.transport.aeron.AeronTransportConfig}, and {@link
 * io.crema.transport.aeron.EmbeddedMediaDriver} for a media driver shared by all nodes of a
 * process. The wire format is described in {@code WireFormat}.
 */
package io.crema.transport.aeron;
