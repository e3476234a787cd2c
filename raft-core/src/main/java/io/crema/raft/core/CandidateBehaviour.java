package io.crema.raft.core;

import io.crema.raft.Message;
import io.crema.raft.MessageType;

/** A (pre-)candidate: counts votes, yields to a leader of its term (Raft paper 5.2, thesis 9.6). */
final class CandidateBehaviour implements RoleBehaviour {
  static final CandidateBehaviour INSTANCE = new CandidateBehaviour();

  private CandidateBehaviour() {}

  @Override
  public void tick(Raft r) {
    FollowerBehaviour.tickElection(r);
  }

  @Override
  public void step(Raft r, Message m) {
    MessageType myVoteResponse =
        r.role == Role.PRE_CANDIDATE ? MessageType.PRE_VOTE_RESPONSE : MessageType.VOTE_RESPONSE;
    switch (m.type()) {
      case APPEND:
        r.becomeFollower(m.term(), m.from());
        FollowerBehaviour.handleAppend(r, m);
        break;
      case HEARTBEAT:
        r.becomeFollower(m.term(), m.from());
        FollowerBehaviour.handleHeartbeat(r, m);
        break;
      case SNAPSHOT:
        r.becomeFollower(m.term(), m.from());
        FollowerBehaviour.handleSnapshot(r, m);
        break;
      case READ_INDEX:
        r.rejectRead(m.from(), m.context());
        break;
      case VOTE_RESPONSE:
      case PRE_VOTE_RESPONSE:
        if (m.type() != myVoteResponse) {
          break;
        }
        switch (r.poll(m.from(), !m.reject())) {
          case WON:
            if (r.role == Role.PRE_CANDIDATE) {
              r.campaign(false, false);
            } else {
              r.becomeLeader();
              LeaderBehaviour.INSTANCE.broadcastAppend(r);
            }
            break;
          case LOST:
            // A pre-vote rejection may carry a higher term; the term check already handled it.
            r.becomeFollower(r.term, 0);
            break;
          default:
            break;
        }
        break;
      default:
        break;
    }
  }
}
