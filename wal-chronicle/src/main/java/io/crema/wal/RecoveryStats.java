package io.crema.wal;

/**
 * What opening a {@link ChronicleLogStore} found.
 *
 * @param records valid records scanned
 * @param entries entries in the scanned ENTRIES records (live or not)
 * @param groups groups holding state after recovery
 * @param cutRecords records of a torn or corrupt tail that were cut off (0 normally)
 * @param durationMs wall time of the scan, milliseconds
 */
public record RecoveryStats(
    long records, long entries, int groups, long cutRecords, long durationMs) {}
