package org.raftref.message;

/** Reply to {@link RequestVoteRequest}: whether {@code from} granted its vote in {@code term}. */
public record RequestVoteResponse(int from, int to, long term, boolean voteGranted) implements Message {}
