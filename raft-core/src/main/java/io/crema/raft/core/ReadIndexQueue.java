package io.crema.raft.core;

import io.crema.raft.core.quorum.JointConfig;
import io.crema.raft.core.quorum.VoteLookup;
import io.crema.raft.core.quorum.VoteResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The leader's pending ReadIndex requests (Raft thesis 6.4), batched: all requests that arrive
 * between two flushes share one heartbeat round. When a quorum acknowledges a round, leadership was
 * confirmed after every request of that round and of every earlier round arrived, so all of them
 * are released together.
 */
final class ReadIndexQueue {
  /** A pending request: from whom, its id, the commit index when it arrived and its round. */
  record Request(long from, long requestId, long index, long round) {}

  private final ArrayDeque<Request> pending = new ArrayDeque<>();

  /** Last round whose heartbeats were sent. */
  private long lastStartedRound;

  /** Requests added since the last flush wait for round lastStartedRound + 1. */
  private boolean unstarted;

  /** A started round and who acknowledged it. */
  private record Round(long id, Set<Long> acks) {}

  /** Rounds started and not yet confirmed, oldest first. */
  private final ArrayDeque<Round> rounds = new ArrayDeque<>();

  /** Queues a request at the current commit index. */
  void add(long from, long requestId, long commitIndex) {
    pending.addLast(new Request(from, requestId, commitIndex, lastStartedRound + 1));
    unstarted = true;
  }

  /** Whether requests wait for a round to be started. */
  boolean needsRound() {
    return unstarted;
  }

  /** Starts the round that unstarted requests wait for; returns its id (the heartbeat context). */
  long startRound(long self) {
    unstarted = false;
    lastStartedRound++;
    Set<Long> acks = new HashSet<>();
    acks.add(self);
    rounds.addLast(new Round(lastStartedRound, acks));
    return lastStartedRound;
  }

  /**
   * Records a heartbeat acknowledgement of a round and returns the requests released because a
   * quorum of the configuration acknowledged it (empty if none).
   */
  List<Request> ack(long round, long from, JointConfig voters) {
    for (Round r : rounds) {
      if (r.id() == round) {
        r.acks().add(from);
        VoteLookup lookup = id -> r.acks().contains(id) ? VoteLookup.GRANTED : VoteLookup.MISSING;
        if (voters.voteResult(lookup) != VoteResult.WON) {
          return List.of();
        }
        while (!rounds.isEmpty() && rounds.peekFirst().id() <= round) {
          rounds.pollFirst();
        }
        return releaseUpTo(round);
      }
    }
    return List.of();
  }

  /** Releases all requests of rounds up to and including {@code round}. */
  List<Request> releaseUpTo(long round) {
    List<Request> out = new ArrayList<>();
    while (!pending.isEmpty() && pending.peekFirst().round() <= round) {
      out.add(pending.pollFirst());
    }
    return out;
  }

  /** Drops everything (leadership lost); returns the dropped requests. */
  List<Request> clear() {
    List<Request> out = new ArrayList<>(pending);
    pending.clear();
    rounds.clear();
    unstarted = false;
    return out;
  }

  int size() {
    return pending.size();
  }
}
