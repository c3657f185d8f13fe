#!/usr/bin/env bash
# `npm run ci:rehearse [-- OPTIONS]`: the push workflow (.github/workflows/ci.yml)
# run on this machine, step by step, leaving the artifact folder where the
# workflow uploads it from (ci-artifacts/).
#
#   --skip-tests     skip the `npm test` step (slow); train, report and gates always run
#   anything else    passed to the report step, e.g. --fail-on 'val_accuracy<0.999'
#
# The checkout and `npm ci` steps are yours: run this in a checkout after `npm ci`
# (which builds dist/). Exit code: the first failing step's, like the job; a failed
# quality gate is 3, and the summary and artifact folder are still produced.
set -uo pipefail
cd "$(dirname "$0")/.."

skip_tests=${SKIP_TESTS:-0}
report_args=()
for arg in "$@"; do
  case "$arg" in
    --skip-tests) skip_tests=1 ;;
    *) report_args+=("$arg") ;;
  esac
done

say() { printf 'ci:rehearse: %s\n' "$*" >&2; }
failed=0
step() { # name, command... — runs only while no earlier step failed (like the job)
  local name=$1; shift
  if [ "$failed" != 0 ]; then say "skipped: $name"; return; fi
  say "step: $name"
  "$@"
  local rc=$?
  if [ "$rc" != 0 ]; then say "failed ($rc): $name"; failed=$rc; fi
}
always() { # name, command... — `if: always()` steps
  local name=$1; shift
  say "step (always): $name"
  "$@" || say "failed ($?): $name"
}

if [ ! -f dist/cli/train.js ] || [ ! -f dist/cli/report.cjs ]; then
  say "dist/ is missing: run \`npm ci\` (or \`npm run build\`) first"
  exit 2
fi

if [ "$skip_tests" = 1 ]; then say "skipped: npm test (--skip-tests)"; else step "npm test" npm test; fi
step "Train (short real run)" .ci/steps.sh train
step "Report and quality gates" .ci/steps.sh report "${report_args[@]}"

mkdir -p ci-artifacts
export GITHUB_STEP_SUMMARY=${GITHUB_STEP_SUMMARY:-$PWD/ci-artifacts/step-summary.md}
: > "$GITHUB_STEP_SUMMARY"
always "Report to step summary" .ci/steps.sh summary
always "Upload report (local: list ci-artifacts/)" find ci-artifacts -type f

say "artifact folder: $PWD/ci-artifacts (step summary: $GITHUB_STEP_SUMMARY)"
[ "$failed" = 0 ] && say "job: success" || say "job: failure (exit $failed)"
exit "$failed"
