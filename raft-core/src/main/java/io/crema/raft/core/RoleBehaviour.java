package io.crema.raft.core;

import io.crema.raft.Message;

/** What a node does on a tick and on a message, by role (one small strategy per role). */
interface RoleBehaviour {
  void tick(Raft r);

  /** Handles a message whose term is the node's current term (or a local message). */
  void step(Raft r, Message m);
}
