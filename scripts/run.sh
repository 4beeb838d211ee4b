#!/usr/bin/env bash
# run.sh runs iamvet for the GitHub Action (action.yml, INTEGRATION.md S-5)
# and sets the step outputs sarif-file, exit-code, findings,
# blocking-findings and highest-severity. It exits with iamvet's exit code
# (0 clean, 1 findings at or above fail-on, 2 usage/load error, 3 internal
# error), so the step fails exactly when iamvet does.
#
# Inputs come only from the environment and become one argv array: nothing
# is evaluated or globbed, and only IV_PATH and IV_ARGS are split, on
# whitespace (no quotes, no expansion).
#
# Environment (set by action.yml):
#   IV_BIN       iamvet binary from the install step (default: iamvet on PATH)
#   IV_PATH      cloud assembly dirs, whitespace-separated (default cdk.out)
#   IV_SARIF     SARIF output path; empty: no SARIF
#   IV_FAIL_ON   none|low|medium|high|critical
#   IV_MIN_SEV   low|medium|high|critical
#   IV_LOC       auto|source|template|app|generated
#   IV_ROOT      repository root for SARIF paths
#   IV_CONFIG    path to .iamvet.yaml (optional)
#   IV_ANN       true|false: workflow annotations
#   IV_SUM       true|false: job summary
#   IV_ARGS      extra CLI arguments, whitespace-separated
# and RUNNER_TEMP, GITHUB_OUTPUT from the runner.
set -euo pipefail

# The outputs, written once on exit whatever happens, so that expressions
# such as steps.iamvet.outputs.sarif-file != '' always work.
o_sarif="" o_rc="" o_findings="" o_blocking="" o_highest=""

# shellcheck disable=SC2317 # out and write_outputs run from the EXIT trap
out() {
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
	else
		printf 'output %s=%s\n' "$1" "$2"
	fi
}

# shellcheck disable=SC2317
write_outputs() {
	out sarif-file "$o_sarif"
	out exit-code "$o_rc"
	out findings "$o_findings"
	out blocking-findings "$o_blocking"
	out highest-severity "$o_highest"
}
trap write_outputs EXIT

fail() {
	echo "::error title=iamvet::$*"
	o_rc=2
	exit 2
}

bin="${IV_BIN:-}"
if [ -z "$bin" ]; then
	bin=iamvet
	command -v iamvet >/dev/null 2>&1 ||
		fail "iamvet is not on PATH: set install: true, or install iamvet before this step"
fi

case "${IV_ANN:-true}" in
true) ann=always ;;
false) ann=never ;;
*) fail "input annotations must be true or false, not '${IV_ANN}'" ;;
esac
case "${IV_SUM:-true}" in
true) sum=always ;;
false) sum=never ;;
*) fail "input job-summary must be true or false, not '${IV_SUM}'" ;;
esac

# Whitespace-separated words; read -a splits on IFS and never globs.
# (Bash 3.2 compatible: macOS runners may run /bin/bash.)
paths=()
extra=()
read -r -d '' -a paths <<<"${IV_PATH:-}" || true
read -r -d '' -a extra <<<"${IV_ARGS:-}" || true
if [ "${#paths[@]}" -eq 0 ]; then
	paths=(cdk.out)
fi

# A fresh JSON file per run: a stale one from an earlier invocation in the
# same job must never become this run's outputs.
json="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/iamvet-$$-${RANDOM}.json"
rm -f "$json"

argv=(--fail-on "${IV_FAIL_ON:-low}" --min-severity "${IV_MIN_SEV:-low}")
if [ -n "${IV_ROOT:-}" ]; then
	argv+=(--repo-root "$IV_ROOT")
fi
# auto is iamvet's default; passing only other modes keeps the action usable
# with releases that predate the flag.
if [ -n "${IV_LOC:-}" ] && [ "$IV_LOC" != auto ]; then
	argv+=(--location-mode "$IV_LOC")
fi
if [ -n "${IV_CONFIG:-}" ]; then
	argv+=(--config "$IV_CONFIG")
fi
argv+=(--annotations "$ann" --summary "$sum")
if [ -n "${IV_SARIF:-}" ]; then
	argv+=(--sarif "$IV_SARIF")
fi
argv+=(${extra[@]+"${extra[@]}"})
# Last, so that the outputs below always come from this file.
argv+=(--json "$json" -- "${paths[@]}")

printf 'Running: %q' "$bin"
printf ' %q' "${argv[@]}"
printf '\n'

set +e
"$bin" "${argv[@]}"
rc=$?
set -e
o_rc="$rc"

case "$rc" in
0 | 1) ;;
2)
	echo "::error title=iamvet::iamvet could not load its input or was misconfigured (exit 2); no SARIF was written"
	exit "$rc"
	;;
*)
	echo "::error title=iamvet::iamvet failed with exit code $rc; no SARIF was written"
	exit "$rc"
	;;
esac

if [ -n "${IV_SARIF:-}" ]; then
	if [ -f "$IV_SARIF" ]; then
		o_sarif="$IV_SARIF"
	else
		echo "::warning title=iamvet::iamvet exited $rc but wrote no SARIF at $IV_SARIF"
	fi
fi

# read_summary prints "findings blocking highest" from iamvet's JSON.
read_summary() {
	local reader="${IAMVET_ACTION_JSON_READER:-}"
	if [ -z "$reader" ]; then
		if command -v jq >/dev/null 2>&1; then
			reader=jq
		else
			reader=python3
		fi
	fi
	case "$reader" in
	jq)
		jq -r '.summary as $s
			| [($s.findings // 0), ($s.blocking // 0),
			   (first(("critical", "high", "medium", "low") as $k
				| select(($s.bySeverity[$k] // 0) > 0) | $k) // "none")]
			| @tsv' "$json"
		;;
	*)
		python3 - "$json" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    s = json.load(f)["summary"]
by = s.get("bySeverity") or {}
high = next((k for k in ("critical", "high", "medium", "low") if by.get(k, 0) > 0), "none")
print("%d\t%d\t%s" % (s.get("findings", 0), s.get("blocking", 0), high))
EOF
		;;
	esac
}

if [ -s "$json" ]; then
	if summary="$(read_summary)"; then
		IFS=$'\t' read -r findings blocking highest <<<"$summary"
		o_findings="$findings" o_blocking="$blocking" o_highest="$highest"
	else
		echo "::warning title=iamvet::could not read the finding counts from $json (jq or python3 needed)"
	fi
	rm -f "$json"
else
	echo "::warning title=iamvet::iamvet exited $rc but wrote no JSON summary"
fi
exit "$rc"
