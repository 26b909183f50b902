#!/usr/bin/env bash
# The bounded jcstress run for CI (docs/concurrency.md, "Stress tests (jcstress)"): every test except the
# negative controls in org.raftref.stress.broken, in quick mode with short iterations. Fails (exit 1) on any
# FORBIDDEN outcome or test error (jcstress's own exit code), and also when fewer tests ran than exist: jcstress
# silently skips a test with more actors than the machine has CPUs. Results: stress/target/jcstress-results/index.html.
# Needs stress/target/jcstress.jar: mvn -B -q install -DskipTests -pl impl && mvn -B -q package -pl stress
set -euo pipefail
cd "$(dirname "$0")/.."

jar=stress/target/jcstress.jar
filter='^org\.raftref\.(?!stress\.broken\.)'
results=stress/target/jcstress-results

if [[ ! -f "$jar" ]]; then
  echo "stress/ci.sh: $jar is missing; build it with: mvn -B -q package -pl stress" >&2
  exit 2
fi
expected=$(java -jar "$jar" -l -t "$filter" | grep -c '^org\.raftref\.')
rm -rf "$results"
java -jar "$jar" -m quick -jvmArgs -XX:+UseParallelGC -sc false -f 1 -time 200 -t "$filter" -r "$results"
ran=$(find "$results" -maxdepth 1 -name 'org.raftref.*.html' | wc -l)
if [[ "$ran" -ne "$expected" ]]; then
  echo "jcstress ran $ran of $expected tests (a test with more actors than CPUs is skipped); see $results/index.html" >&2
  echo "jcstress: 0 passed, $expected failed"
  exit 1
fi
echo "jcstress: $ran passed, 0 failed"
