package org.raftref.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator's command line: exit status, the first line, the summary, failures and bad input. */
class SimulatorMainTest {

  private record Result(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = SimulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aPassingRunExitsZeroAndItsFirstLineNamesTheSeedAndEveryDerivedParameter() {
    Result r = run("--seed", "42", "--nodes", "5", "--duration", "10s");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("", r.err());
    String first = r.lines().get(0);
    assertTrue(first.startsWith("seed=42 nodes=5 "), first);
    for (String key : List.of("tickMillis=", "heartbeatTicks=", "electionTimeoutTicks=", "latencyMillis=",
        "faults=all", "durationMillis=10000", "faultCount=", "meanFaultGapMillis=", "workloadEveryMillis=",
        "maxDuplicate=", "keepDown=", "livenessBoundMillis=")) {
      assertTrue(first.contains(key), "first line lacks " + key + ": " + first);
    }
    assertTrue(r.out().contains("\nleaders per term: t"), r.out());
    assertTrue(r.out().contains("\nmessages: "), r.out());
    assertTrue(r.out().contains("\nliveness: healed at 10000 ms; a new command committed "), r.out());
    assertTrue(r.lines().get(r.lines().size() - 1).startsWith("verdict: OK"), r.out());
  }

  @Test
  void theSameArgumentsPrintTheSameOutput() {
    Result a = run("--seed", "9", "--duration", "5s", "--faults", "loss");
    Result b = run("--seed", "9", "--duration", "5s", "--faults", "loss");
    assertEquals(0, a.exit(), a.out());
    assertEquals(a.out(), b.out());
  }

  @Test
  void aStepLimitEndsTheSafetyPhaseEarly() {
    Result r = run("--seed", "1", "--nodes", "3", "--duration", "60s", "--steps", "200");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.lines().get(0).endsWith(" maxSteps=200"), r.lines().get(0));
    String liveness = r.lines().stream().filter(l -> l.startsWith("liveness: healed at ")).findFirst().orElseThrow();
    long healedAt = Long.parseLong(liveness.substring("liveness: healed at ".length(), liveness.indexOf(" ms")));
    assertTrue(healedAt > 0 && healedAt < 60_000, liveness);
  }

  @Test
  void withoutNodesTheSeedPicksTheClusterSize() {
    String first = run("--seed", "42", "--duration", "1s", "--faults", "none").lines().get(0);
    int nodes = Integer.parseInt(first.split(" ")[1].substring("nodes=".length()));
    assertTrue(nodes >= RandomSchedules.MIN_DERIVED_NODES && nodes <= RandomSchedules.MAX_DERIVED_NODES, first);
  }

  @Test
  void aFailureExitsOneAndPrintsTheInvariantTheSeedAndAReplayCommand() {
    // No cluster commits in 1 ms of virtual time (a round trip takes 2 ms): the liveness check must fail.
    Result r = run("--seed", "3", "--nodes", "3", "--duration", "2s", "--liveness-bound", "1ms");
    assertEquals(1, r.exit(), r.out());
    List<String> lines = r.lines();
    assertTrue(lines.get(lines.size() - 3).startsWith("verdict: FAILED Liveness in the liveness phase"), r.out());
    assertEquals("FAILED: Liveness with seed 3", lines.get(lines.size() - 2));
    String replay = lines.get(lines.size() - 1);
    assertEquals("replay: " + SimulatorMain.RUN_COMMAND
        + "\"--seed 3 --nodes 3 --duration 2000ms --faults all --liveness-bound 1ms\"", replay);
    // The replay's arguments repeat the run exactly.
    String args = replay.substring(replay.indexOf('"') + 1, replay.lastIndexOf('"'));
    assertEquals(r.out(), run(args.split(" ")).out());
  }

  @Test
  void aPrintedScheduleReplaysTheSameRun() {
    Result generated = run("--seed", "5", "--nodes", "3", "--duration", "4s", "--show-schedule");
    String schedule = generated.lines().get(1).substring("schedule: ".length());
    Result replayed = run("--seed", "5", "--schedule", schedule);
    assertEquals(0, replayed.exit(), replayed.out() + replayed.err());
    List<String> a = generated.lines();
    List<String> b = replayed.lines();
    // The first line differs only in how the schedule was made; the runs are the same.
    assertEquals(a.subList(2, a.size()), b.subList(1, b.size()));
  }

  @Test
  void theTraceOptionWritesTheNdjsonTrace(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.ndjson");
    Result r = run("--seed", "11", "--nodes", "3", "--duration", "2s", "--trace", file.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> trace = Files.readAllLines(file);
    assertTrue(trace.get(0).contains("\"origin\":\"simulator --seed 11 --nodes 3 --duration 2000ms --faults all\""),
        trace.get(0));
    String events = r.lines().stream().filter(l -> l.startsWith("trace: ")).findFirst().orElseThrow();
    assertEquals("trace: " + (trace.size() - 1) + " events written to " + file, events);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--nodes x", "--nodes 0", "--nodes 10", "--bogus", "--faults weird", "--duration 10", "--duration -5s",
      "--duration 5h", "--steps -1", "--seed 1.5", "--liveness-bound soon",
      "--schedule nodes=3;duration=100;every=20;keepdown=;50:crash:4",
      "--schedule nodes=3;duration=100;every=20;keepdown=;500:heal",
      "--schedule nodes=3;duration=100;every=20;keepdown=1,2",
      "--schedule nodes=3;duration=100",
      "--schedule nodes=3;duration=100;every=20;keepdown=;50:explode:1",
      "--schedule nodes=3;duration=100;every=20;keepdown=;50:partition:1,2/2",
      "--schedule nodes=3;duration=100;every=20;keepdown=;50:duplicate:1.5",
      "--schedule nodes=3;duration=100;every=20;keepdown= --nodes 3",
      "--bench --seed 1",
      "--trace /nonexistent-dir/run.ndjson --duration 1s"})
  void badInputGetsOneLineNamingItAndExitsTwo(String args) {
    Result r = run(args.split(" "));
    assertEquals(2, r.exit(), args + " → " + r.out() + r.err());
    assertEquals("", r.out(), args);
    assertEquals(1, r.err().lines().count(), args + " → " + r.err());
    String option = args.split(" ")[0];
    assertTrue(r.err().startsWith("simulator: ") && r.err().contains(option), args + " → " + r.err());
  }

  @Test
  void helpExitsZero() {
    Result r = run("--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("Usage: simulator"), r.out());
  }
}
