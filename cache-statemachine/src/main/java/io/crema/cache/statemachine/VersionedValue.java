package io.crema.cache.statemachine;

/**
 * A value as read locally, with its version and expiry.
 *
 * @param value a private copy of the value bytes
 * @param version the log index of the command that last wrote the key (use with compare-and-set on
 *     version)
 * @param expireAtMs absolute expiry in epoch ms, 0 if the entry never expires
 */
public record VersionedValue(byte[] value, long version, long expireAtMs) {}
