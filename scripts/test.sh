#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, runs the static checks and
# every test, and ends with one plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# System packages the integration tests use, installed through apt when missing and root.
# socat + mbpoll: real Modbus master over pty pairs; mosquitto: the MQTT broker of the uplink tests;
# rt-tests: cyclictest, bench:loop's platform floor, whose output parser is held to the real tool.
APT_PACKAGES=(socat mbpoll mosquitto rt-tests)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
      echo "test.sh: WARNING: apt-get install failed; tests needing ${missing[*]} will skip loudly"
  else
    echo "test.sh: WARNING: not root, cannot install ${missing[*]}; tests needing them will skip loudly"
  fi
fi

# npm packages from the lockfile, only when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
check() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else
    failed=$((failed + 1))
    echo "test.sh: FAILED: $name"
  fi
}

check typecheck npx tsc -p tsconfig.json --noEmit
check lint npx eslint --max-warnings 0 .
check format npx prettier --check . --log-level warn

mkdir -p .test-results
rm -f .test-results/vitest.json
echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json
vitest_rc=$?
if [ -f .test-results/vitest.json ]; then
  read -r vp vf < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(".test-results/vitest.json", "utf8"));
    // Suites that failed to load count as failures even though they hold no test results.
    const broken = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);')
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$vitest_rc" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); fi
else
  failed=$((failed + 1))
fi

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
