package io.crema.raft.core;

import io.crema.raft.Message;
import io.crema.raft.MessageType;

/**
 * A follower: accepts appends, heartbeats and snapshots from the leader (Raft paper 5.2, 5.3, 7).
 */
final class FollowerBehaviour implements RoleBehaviour {
  static final FollowerBehaviour INSTANCE = new FollowerBehaviour();

  private FollowerBehaviour() {}

  @Override
  public void tick(Raft r) {
    tickElection(r);
  }

  /** Followers and candidates: campaign after a randomised election timeout of silence. */
  static void tickElection(Raft r) {
    r.electionElapsed++;
    if (r.promotable() && r.pastElectionTimeout()) {
      r.electionElapsed = 0;
      r.step(Message.builder(MessageType.HUP).from(r.id).build());
    }
  }

  @Override
  public void step(Raft r, Message m) {
    switch (m.type()) {
      case APPEND:
        r.electionElapsed = 0;
        r.lead = m.from();
        handleAppend(r, m);
        break;
      case HEARTBEAT:
        r.electionElapsed = 0;
        r.lead = m.from();
        handleHeartbeat(r, m);
        break;
      case SNAPSHOT:
        r.electionElapsed = 0;
        r.lead = m.from();
        handleSnapshot(r, m);
        break;
      case TRANSFER_LEADER:
        if (r.lead != 0) {
          r.send(r.msg(MessageType.TRANSFER_LEADER).to(r.lead).context(m.context()).build());
        }
        break;
      case TIMEOUT_NOW:
        // Thesis 3.10: the leader hands over; campaign at once, even inside its lease.
        r.hup(true);
        break;
      case READ_INDEX:
        if (r.lead == 0 || m.from() != r.id) {
          // No leader, or a request forwarded to us by a node that thinks we lead: the answer
          // could not reach its requester, so refuse and let it retry.
          r.rejectRead(m.from(), m.context());
        } else {
          r.send(r.msg(MessageType.READ_INDEX).to(r.lead).term(0).context(m.context()).build());
        }
        break;
      case READ_INDEX_RESPONSE:
        r.readStates.add(new ReadState(m.reject() ? -1 : m.index(), m.context()));
        break;
      default:
        break;
    }
  }

  static void handleAppend(Raft r, Message m) {
    if (m.index() < r.log.committed()) {
      r.send(r.reply(m, MessageType.APPEND_RESPONSE).index(r.log.committed()).build());
      return;
    }
    long lastNew = r.log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      r.send(r.reply(m, MessageType.APPEND_RESPONSE).index(lastNew).build());
      return;
    }
    // Reject with a hint: the last index at or below the probe whose term is <= the leader's
    // term there, so the leader can skip a whole term per round trip.
    long hintIndex = Math.min(m.index(), r.log.lastIndex());
    hintIndex = r.log.findConflictByTerm(hintIndex, m.logTerm());
    long hintTerm = r.log.term(hintIndex);
    r.send(
        r.reply(m, MessageType.APPEND_RESPONSE)
            .index(m.index())
            .reject(true)
            .rejectHint(hintIndex)
            .logTerm(hintTerm)
            .build());
  }

  static void handleHeartbeat(Raft r, Message m) {
    r.log.commitTo(Math.min(m.commit(), r.log.lastIndex()));
    r.send(r.reply(m, MessageType.HEARTBEAT_RESPONSE).context(m.context()).build());
  }

  static void handleSnapshot(Raft r, Message m) {
    if (r.restore(m.snapshot())) {
      r.send(r.reply(m, MessageType.APPEND_RESPONSE).index(r.log.lastIndex()).build());
    } else {
      r.send(r.reply(m, MessageType.APPEND_RESPONSE).index(r.log.committed()).build());
    }
  }
}
