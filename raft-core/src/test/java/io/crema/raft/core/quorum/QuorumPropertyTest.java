package io.crema.raft.core.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests: majority and joint maths against a brute-force model over many random
 * configurations. Run more with -Dquorum.cases=N; replay one with -Dquorum.seed=S. Raft paper 5.3
 * (commitment) and thesis 4.3 (joint consensus).
 */
class QuorumPropertyTest {
  private static final long BASE_SEED = Long.getLong("quorum.seed", 0x5eed_c0de_2026L);
  private static final int CASES = Integer.getInteger("quorum.cases", 20_000);

  private static long[] randomIds(SplittableRandom rnd, int maxSize) {
    int n = rnd.nextInt(maxSize + 1);
    TreeSet<Long> ids = new TreeSet<>();
    while (ids.size() < n) {
      ids.add(1L + rnd.nextInt(12));
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  /** Brute force: the highest i such that a strict majority acknowledged at least i. */
  private static long bruteCommitted(long[] ids, Map<Long, Long> acked) {
    if (ids.length == 0) {
      return Long.MAX_VALUE;
    }
    long best = 0;
    for (long id : ids) {
      long candidate = Math.max(0, acked.getOrDefault(id, 0L));
      int count = 0;
      for (long other : ids) {
        if (Math.max(0, acked.getOrDefault(other, 0L)) >= candidate) {
          count++;
        }
      }
      if (count * 2 > ids.length) {
        best = Math.max(best, candidate);
      }
    }
    return best;
  }

  private static VoteResult bruteVote(long[] ids, Map<Long, Integer> votes) {
    if (ids.length == 0) {
      return VoteResult.WON;
    }
    int yes = 0;
    int no = 0;
    for (long id : ids) {
      int v = votes.getOrDefault(id, VoteLookup.MISSING);
      if (v == VoteLookup.GRANTED) {
        yes++;
      } else if (v == VoteLookup.REJECTED) {
        no++;
      }
    }
    if (yes * 2 > ids.length) {
      return VoteResult.WON;
    }
    if (no * 2 >= ids.length) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  @Test
  void committedIndexMatchesBruteForce() {
    for (int c = 0; c < CASES; c++) {
      long seed = BASE_SEED + c;
      SplittableRandom rnd = new SplittableRandom(seed);
      long[] in = randomIds(rnd, 7);
      long[] out = randomIds(rnd, 7);
      Map<Long, Long> acked = new HashMap<>();
      for (long id = 1; id <= 12; id++) {
        if (rnd.nextInt(5) != 0) {
          acked.put(id, (long) rnd.nextInt(20));
        }
      }
      AckedIndexer idx = id -> acked.getOrDefault(id, AckedIndexer.UNKNOWN);
      MajorityConfig a = MajorityConfig.of(in);
      MajorityConfig b = MajorityConfig.of(out);
      String ctx = "seed " + seed + " (rerun with -Dquorum.seed=" + seed + " -Dquorum.cases=1)";
      assertEquals(bruteCommitted(in, acked), a.committedIndex(idx), ctx);
      long joint = Math.min(bruteCommitted(in, acked), bruteCommitted(out, acked));
      assertEquals(joint, new JointConfig(a, b).committedIndex(idx), ctx);
    }
  }

  @Test
  void voteResultMatchesBruteForce() {
    for (int c = 0; c < CASES; c++) {
      long seed = BASE_SEED ^ (c * 0x9E3779B97F4A7C15L);
      SplittableRandom rnd = new SplittableRandom(seed);
      long[] in = randomIds(rnd, 7);
      long[] out = randomIds(rnd, 7);
      Map<Long, Integer> votes = new HashMap<>();
      for (long id = 1; id <= 12; id++) {
        votes.put(id, rnd.nextInt(3) - 1);
      }
      VoteLookup lookup = id -> votes.getOrDefault(id, VoteLookup.MISSING);
      String ctx = "seed " + seed;
      VoteResult ra = bruteVote(in, votes);
      VoteResult rb = bruteVote(out, votes);
      assertEquals(ra, MajorityConfig.of(in).voteResult(lookup), ctx);
      VoteResult joint =
          ra == VoteResult.LOST || rb == VoteResult.LOST
              ? VoteResult.LOST
              : (ra == VoteResult.WON && rb == VoteResult.WON
                  ? VoteResult.WON
                  : VoteResult.PENDING);
      assertEquals(
          joint,
          new JointConfig(MajorityConfig.of(in), MajorityConfig.of(out)).voteResult(lookup),
          ctx);
    }
  }

  /** Committed index is monotone in acknowledgements: acking more never lowers it. */
  @Test
  void committedIndexIsMonotone() {
    for (int c = 0; c < CASES / 4; c++) {
      long seed = BASE_SEED + 7 * c;
      SplittableRandom rnd = new SplittableRandom(seed);
      long[] in = randomIds(rnd, 7);
      MajorityConfig cfg = MajorityConfig.of(in);
      Map<Long, Long> acked = new HashMap<>();
      long prev = cfg.committedIndex(id -> acked.getOrDefault(id, AckedIndexer.UNKNOWN));
      for (int step = 0; step < 20; step++) {
        long id = 1L + rnd.nextInt(12);
        acked.merge(id, (long) rnd.nextInt(5), Long::sum);
        long now = cfg.committedIndex(i -> acked.getOrDefault(i, AckedIndexer.UNKNOWN));
        assertEquals(true, now >= prev, "seed " + seed + ": " + prev + " -> " + now);
        prev = now;
      }
    }
  }
}
