package io.crema.multiraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderTableTest {
  private final LeaderTable table = new LeaderTable(4);

  @Test
  void newerEpochWinsOlderLoses() {
    assertTrue(table.setIfNewer(0, 2, 5));
    assertEquals(2, table.leader(0));
    assertFalse(table.setIfNewer(0, 3, 4), "an older epoch must not replace the leader");
    assertFalse(table.setIfNewer(0, 3, 5), "the same epoch has one leader, already known");
    assertEquals(2, table.leader(0));
    assertTrue(table.setIfNewer(0, 3, 6));
    assertEquals(3, table.leader(0));
    assertEquals(6, table.entry(0).epoch());
  }

  @Test
  void ownViewOfANewerTermOverridesHintsAndEqualTermFillsUnknown() {
    table.setIfNewer(1, 2, 3);
    table.observe(1, 1, 2);
    assertEquals(2, table.leader(1), "a view of an older term is ignored");
    table.observe(1, 0, 4);
    assertEquals(0, table.leader(1), "a newer term without a leader: unknown");
    table.observe(1, 3, 4);
    assertEquals(3, table.leader(1), "the leader of that term, once seen");
    table.observe(1, 1, 4);
    assertEquals(1, table.leader(1), "this node's view corrects a wrong leader of the same term");
  }

  @Test
  void invalidatedNodeStaysForgottenUntilANewerTerm() {
    table.observe(0, 3, 7);
    table.observe(1, 3, 7);
    table.observe(2, 2, 7);
    assertEquals(2, table.invalidateNode(3));
    assertEquals(Map.of(2, 2L), table.known());
    table.observe(0, 3, 7);
    table.hint(0, 3);
    assertFalse(table.setIfNewer(0, 3, 7));
    assertEquals(0, table.leader(0), "stale news of the failed node must not bring it back");
    table.setIfNewer(0, 1, 7);
    assertEquals(1, table.leader(0), "another leader of the same, leaderless epoch is accepted");
    table.observe(1, 3, 8);
    assertEquals(3, table.leader(1), "a newer term may elect the node again");
  }

  @Test
  void setIsUnconditionalAndKeepsTheEpoch() {
    table.observe(3, 2, 9);
    table.invalidate(3, 2);
    table.set(3, 2);
    assertEquals(2, table.leader(3));
    assertEquals(9, table.entry(3).epoch());
    assertFalse(table.invalidate(3, 1), "only the named node is invalidated");
  }
}
