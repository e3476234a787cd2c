package io.crema.raft.testkit.sim;

/**
 * What a successful run did, so tests can assert the faults really happened.
 *
 * @param leaderTerms distinct terms that had a leader
 * @param maxCommit highest commit index seen
 * @param crashes node crashes
 * @param partitions partitions (symmetric or one-way)
 * @param confChanges configuration changes proposed and accepted
 * @param transfers leadership transfers requested
 * @param snapshotsInstalled snapshots installed from a leader
 * @param compactions local snapshots with log compaction
 * @param messagesDropped messages lost (randomly or to partitions)
 * @param messagesDuplicated messages delivered twice
 * @param readsServed linearizable reads answered and checked
 * @param pipelinedReadies Readies taken while an earlier one of the same node was still being
 *     persisted (asynchronous storage writes; 0 at pipeline depth 1)
 */
public record SimulationResult(
    long leaderTerms,
    long maxCommit,
    long crashes,
    long partitions,
    long confChanges,
    long transfers,
    long snapshotsInstalled,
    long compactions,
    long messagesDropped,
    long messagesDuplicated,
    long readsServed,
    long pipelinedReadies) {}
