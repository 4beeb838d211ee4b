#!/usr/bin/env bash
# test-action.sh tests the GitHub Action locally, without GitHub: action.yml's
# shape (inputs only through env:, the S-5 inputs and outputs), scripts/run.sh
# against a freshly built iamvet with fake GITHUB_OUTPUT/GITHUB_STEP_SUMMARY
# files, scripts/install.sh against a fake `gh` serving a local release,
# ShellCheck (when installed) on every script and actionlint on the workflows
# (which also checks their inputs to the local action). It ends with "N passed, N failed"
# and exits 1 on any failure.
#
# Usage: scripts/test-action.sh        (from anywhere; needs go, jq, python3)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/iamvet-action-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() {
	passed=$((passed + 1))
	echo "ok   $*"
}
bad() {
	failed=$((failed + 1))
	echo "FAIL $*"
}
# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	local name="$1"
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# --- action.yml -------------------------------------------------------------

action="$root/action.yml"
want_inputs="path version install sarif-file fail-on min-severity location-mode repo-root config annotations job-summary args github-token"
want_outputs="sarif-file exit-code findings blocking-findings highest-severity"
# The keys of a top-level block (inputs:/outputs:) at two-space indent.
keys() {
	awk -v block="$1:" '
		$0 == block { on = 1; next }
		on && /^[^ #]/ { on = 0 }
		on && /^  [a-z][a-z-]*:/ { sub(/^  /, ""); sub(/:.*/, ""); print }
	' "$action" | tr '\n' ' ' | sed 's/ $//'
}
check "action.yml declares the S-5 inputs" test "$(keys inputs)" = "$want_inputs"
check "action.yml declares the S-5 outputs" test "$(keys outputs)" = "$want_outputs"
check "action.yml is a composite action" grep -q '^  using: composite$' "$action"
# Every ${{ inputs.* }} outside the inputs block is an env: mapping or an if:.
injection="$(awk '
	/^runs:/ { on = 1 }
	on && /\$\{\{ *inputs\./ && !/^ +[A-Z_]+: \$\{\{ inputs\.[a-z-]+ \}\}$/ && !/^ +if: / { print NR": "$0 }
' "$action")"
check "action.yml passes inputs to scripts only through env:" test -z "$injection"
[ -z "$injection" ] || echo "$injection"
check "action.yml never expands an expression in run:" bash -c "! grep -nE '^ +run: .*\\\$\\{\\{' '$action'"

# --- build iamvet -------------------------------------------------------------

(cd "$root" && go build -o "$work/iamvet" ./cmd/iamvet)
real="$work/iamvet"
bin="$real"
native=1
help="$("$real" --help 2>&1 || true)"
if ! grep -q -- '-annotations' <<<"$help"; then
	# The CLI predates --annotations/--summary: a wrapper drops them so the
	# script's argv handling is still tested end to end.
	native=0
	cat >"$work/iamvet-wrapper" <<'EOF'
#!/usr/bin/env bash
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--annotations | --summary) shift 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
exec "$IAMVET_REAL" "${args[@]}"
EOF
	chmod +x "$work/iamvet-wrapper"
	bin="$work/iamvet-wrapper"
	echo "note: iamvet has no --annotations/--summary yet; testing run.sh through a wrapper that drops them"
fi
export IAMVET_REAL="$real"

corpus="$root/testdata/corpus"
app="$corpus/c-wildcards/cdk.out"
app2="$corpus/a-least-privilege/cdk.out"

# Expected counts straight from iamvet's JSON.
"$real" --fail-on high --json "$work/expected.json" "$app" >/dev/null 2>&1 && want_rc=0 || want_rc=$?
want_findings="$(jq -r .summary.findings "$work/expected.json")"
want_blocking="$(jq -r .summary.blocking "$work/expected.json")"
want_highest="$(jq -r '.summary.bySeverity | if .critical then "critical" elif .high then "high" elif .medium then "medium" elif .low then "low" else "none" end' "$work/expected.json")"

# run_case NAME [VAR=VALUE...]: runs scripts/run.sh in $work/NAME with a fake
# runner environment; leaves stdout, rc and outputs there.
run_case() {
	local name="$1"
	shift
	local dir="$work/$name"
	mkdir -p "$dir/tmp"
	: >"$dir/output"
	: >"$dir/summary"
	set +e
	(
		cd "$dir"
		env GITHUB_ACTIONS=true GITHUB_OUTPUT="$dir/output" GITHUB_STEP_SUMMARY="$dir/summary" \
			RUNNER_TEMP="$dir/tmp" GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/app GITHUB_SHA=0123abc \
			IV_BIN="$bin" IV_PATH="$app" IV_SARIF="$dir/iamvet.sarif" IV_FAIL_ON=high IV_MIN_SEV=low IV_LOC=auto \
			IV_ROOT="$root" IV_CONFIG= IV_ANN=true IV_SUM=true IV_ARGS= \
			"$@" bash "$root/scripts/run.sh" >"$dir/stdout" 2>"$dir/stderr"
	)
	echo $? >"$dir/rc"
	set -e
}
rc() { cat "$work/$1/rc"; }
output() { # output CASE KEY: the value; fails if the key was not set exactly once
	local n
	n="$(grep -c "^$2=" "$work/$1/output" || true)"
	[ "$n" = 1 ] || {
		echo "output $2 set $n times in $1" >&2
		return 1
	}
	grep "^$2=" "$work/$1/output" | cut -d= -f2-
}
has() { grep -qF -- "$2" "$work/$1/$3"; }

# 1. Findings at or above fail-on: outputs mirror iamvet's JSON; SARIF written.
run_case findings
check "findings: exit code is iamvet's ($want_rc)" test "$(rc findings)" = "$want_rc"
check "findings: exit-code output" test "$(output findings exit-code)" = "$want_rc"
check "findings: sarif-file output names the SARIF" test "$(output findings sarif-file)" = "$work/findings/iamvet.sarif"
check "findings: SARIF is one iamvet run" test "$(jq -r '.runs | length, .[0].tool.driver.name' "$work/findings/iamvet.sarif" | tr '\n' ' ')" = "1 iamvet "
check "findings: findings output ($want_findings)" test "$(output findings findings)" = "$want_findings"
check "findings: blocking-findings output ($want_blocking)" test "$(output findings blocking-findings)" = "$want_blocking"
check "findings: highest-severity output ($want_highest)" test "$(output findings highest-severity)" = "$want_highest"
check "findings: the JSON temp file is removed" test -z "$(ls -A "$work/findings/tmp")"
check "findings: argv has --annotations always --summary always" has findings "--annotations always --summary always" stdout
check "findings: location-mode auto is not passed" bash -c "! grep -q -- --location-mode '$work/findings/stdout'"

# 2. The python3 reader gives the same outputs as jq.
run_case python IAMVET_ACTION_JSON_READER=python3
for k in findings blocking-findings highest-severity exit-code; do
	check "python reader: $k" test "$(output python "$k")" = "$(output findings "$k")"
done

# 3. --fail-on none: exit 0, SARIF still written.
run_case failnone IV_FAIL_ON=none IV_ANN=false IV_SUM=false
check "fail-on none: exit 0" test "$(rc failnone)" = 0
check "fail-on none: exit-code output 0" test "$(output failnone exit-code)" = 0
check "fail-on none: blocking-findings 0" test "$(output failnone blocking-findings)" = 0
check "fail-on none: SARIF written" test -s "$work/failnone/iamvet.sarif"
check "fail-on none: annotations never, summary never" has failnone "--annotations never --summary never" stdout

# 4. Load error (exit 2): no sarif-file output, an existing SARIF untouched.
mkdir -p "$work/loaderr"
echo stale >"$work/loaderr/iamvet.sarif"
run_case loaderr IV_PATH="$work/loaderr/missing/cdk.out"
check "load error: exit 2" test "$(rc loaderr)" = 2
check "load error: exit-code output 2" test "$(output loaderr exit-code)" = 2
check "load error: sarif-file output empty" test -z "$(output loaderr sarif-file)"
check "load error: findings output empty" test -z "$(output loaderr findings)"
check "load error: stale SARIF left untouched" test "$(cat "$work/loaderr/iamvet.sarif")" = stale
check "load error: error annotation" has loaderr "::error title=iamvet::" stdout

# 5. SARIF disabled.
run_case nosarif IV_SARIF= IV_FAIL_ON=none
check "no SARIF: exit 0" test "$(rc nosarif)" = 0
check "no SARIF: sarif-file output empty" test -z "$(output nosarif sarif-file)"
check "no SARIF: --sarif not passed" bash -c "! grep -q -- '--sarif' '$work/nosarif/stdout'"
check "no SARIF: counts still set" test "$(output nosarif findings)" = "$want_findings"

# 6. No shell evaluation of inputs.
mkdir -p "$work/inject"
# shellcheck disable=SC2016 # the point: these must stay literal
run_case inject IV_PATH='x;touch PWNED1 $(touch PWNED2) `touch PWNED3`' IV_ARGS='--rules $(touch${IFS}PWNED4) *' IV_FAIL_ON=none
check "injection: nothing executed" test -z "$(find "$work/inject" -name 'PWNED*')"
check "injection: exit 2 (bad input reaches iamvet verbatim)" test "$(rc inject)" = 2
check "injection: * passed literally, not globbed" has inject ' \* --json ' stdout

# 7. Several paths, separated by spaces and newlines; extra args pass through.
run_case multi IV_PATH="$app
  $app2" IV_ARGS="--max-results 100" IV_FAIL_ON=none
check "several paths: exit 0" test "$(rc multi)" = 0
check "several paths: both passed after --" has multi "-- $app $app2" stdout
check "extra args passed" has multi "--max-results 100" stdout
check "several paths: more findings than one app" test "$(output multi findings)" -ge "$want_findings"

# 8. Other modes and config reach iamvet as flags.
run_case flags IV_LOC=source IV_CONFIG=.iamvet.yaml IV_FAIL_ON=none
check "location-mode source passed" has flags "--location-mode source" stdout
check "config passed" has flags "--config .iamvet.yaml" stdout

# 9. Bad boolean input.
run_case badbool IV_ANN=yes
check "bad annotations input: exit 2" test "$(rc badbool)" = 2
check "bad annotations input: error says why" has badbool "annotations must be true or false" stdout
check "bad annotations input: exit-code output 2" test "$(output badbool exit-code)" = 2

# 10. install: false without iamvet on PATH.
nopath="$work/nopath-bin"
mkdir -p "$nopath"
for t in bash env cat grep cut mkdir rm; do
	ln -s "$(command -v "$t")" "$nopath/$t"
done
run_case notinstalled IV_BIN= PATH="$nopath"
check "install false, no iamvet: exit 2" test "$(rc notinstalled)" = 2
check "install false, no iamvet: error says so" has notinstalled "iamvet is not on PATH" stdout

# Annotations and summary content, once the CLI has the flags.
if [ "$native" = 1 ]; then
	# The runner reads workflow commands from stdout and stderr alike.
	check "findings: annotations printed" grep -qE '^::(error|warning|notice) ' "$work/findings/stdout" "$work/findings/stderr"
	check "findings: summary has the verdict" grep -q 'Failed' "$work/findings/summary"
	check "load error: summary says exit 2" grep -q 'exit 2' "$work/loaderr/summary"
	check "findings: job summary appended" grep -q 'iamvet' "$work/findings/summary"
	check "job-summary false: no summary" test ! -s "$work/failnone/summary"
	check "annotations false: no annotations" bash -c "! grep -qE '^::(error|warning|notice) ' '$work/failnone/stdout' '$work/failnone/stderr'"
else
	echo "skip annotation and summary content (CLI flags not wired yet)"
fi

# --- install.sh ---------------------------------------------------------------

rel="$work/release"
mkdir -p "$rel/stage" "$rel/stage-win"
cp "$real" "$rel/stage/iamvet"
cp "$real" "$rel/stage-win/iamvet.exe" # an ELF named .exe: runs here, tests the zip path
tar -czf "$rel/iamvet_0.1.0_linux_amd64.tar.gz" -C "$rel/stage" iamvet
(cd "$rel/stage-win" && zip -q "$rel/iamvet_0.1.0_windows_amd64.zip" iamvet.exe)
(cd "$rel" && sha256sum iamvet_0.1.0_linux_amd64.tar.gz iamvet_0.1.0_windows_amd64.zip >checksums.txt)

fakebin="$work/fakebin"
mkdir -p "$fakebin"
cat >"$fakebin/gh" <<'EOF'
#!/usr/bin/env bash
# A fake gh: "release view" answers v0.1.0; "release download" copies the
# requested patterns from $FAKE_RELEASE into --dir. Calls are logged.
echo "gh $*" >>"$FAKE_GH_LOG"
case "$1 $2" in
"release view") echo v0.1.0 ;;
"release download")
	shift 3
	dir=. pats=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--pattern | -p) pats+=("$2"); shift 2 ;;
		--dir | -D) dir="$2"; shift 2 ;;
		*) shift ;;
		esac
	done
	for p in "${pats[@]}"; do
		[ -f "$FAKE_RELEASE/$p" ] || { echo "no asset $p" >&2; exit 1; }
		cp "$FAKE_RELEASE/$p" "$dir/"
	done
	;;
*) exit 1 ;;
esac
EOF
chmod +x "$fakebin/gh"

# install_case NAME [VAR=VALUE...]
install_case() {
	local name="$1"
	shift
	local dir="$work/$name"
	mkdir -p "$dir/tmp"
	: >"$dir/path"
	: >"$dir/output"
	set +e
	env PATH="$fakebin:$PATH" FAKE_RELEASE="$rel" FAKE_GH_LOG="$dir/gh.log" \
		RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TOOL_CACHE="$dir/cache" RUNNER_TEMP="$dir/tmp" \
		GITHUB_PATH="$dir/path" GITHUB_OUTPUT="$dir/output" IV_VERSION=v0.1.0 GH_TOKEN=x \
		"$@" bash "$root/scripts/install.sh" >"$dir/stdout" 2>"$dir/stderr"
	echo $? >"$dir/rc"
	set -e
}

install_case inst
check "install: exit 0" test "$(rc inst)" = 0
check "install: GITHUB_PATH gets the cache dir" test "$(cat "$work/inst/path")" = "$work/inst/cache/iamvet/0.1.0/amd64"
check "install: bin output" test "$(output inst bin)" = "$work/inst/cache/iamvet/0.1.0/amd64/iamvet"
check "install: the binary runs" "$work/inst/cache/iamvet/0.1.0/amd64/iamvet" version
check "install: downloads the archive and checksums.txt" has inst "--pattern iamvet_0.1.0_linux_amd64.tar.gz --pattern checksums.txt" gh.log
check "install: checksum verified" has inst "Checksum OK" stdout
check "install: temp files removed" test -z "$(ls -A "$work/inst/tmp")"
# A second run on the same cache downloads nothing.
mv "$work/inst/gh.log" "$work/inst/gh.log.1"
: >"$work/inst/path"
set +e
env PATH="$fakebin:$PATH" FAKE_RELEASE="$rel" FAKE_GH_LOG="$work/inst/gh.log" RUNNER_OS=Linux RUNNER_ARCH=X64 \
	RUNNER_TOOL_CACHE="$work/inst/cache" RUNNER_TEMP="$work/inst/tmp" GITHUB_PATH="$work/inst/path" \
	GITHUB_OUTPUT="$work/inst/output2" IV_VERSION=0.1.0 bash "$root/scripts/install.sh" >"$work/inst/stdout2" 2>&1
cached_rc=$?
set -e
check "install: cached run exit 0" test "$cached_rc" = 0
check "install: cached run downloads nothing" test ! -e "$work/inst/gh.log"
check "install: cached run still adds to GITHUB_PATH" test -s "$work/inst/path"

install_case latest IV_VERSION=latest
check "install latest: resolves the tag" has latest "gh release download v0.1.0" gh.log
check "install latest: exit 0" test "$(rc latest)" = 0

install_case windows RUNNER_OS=Windows
check "install windows: zip unpacked" test "$(rc windows)" = 0
check "install windows: iamvet.exe installed" test -x "$work/windows/cache/iamvet/0.1.0/amd64/iamvet.exe"

install_case darwin RUNNER_OS=macOS RUNNER_ARCH=ARM64
check "install macOS arm64: asks for the darwin_arm64 archive" has darwin "--pattern iamvet_0.1.0_darwin_arm64.tar.gz" gh.log
check "install macOS arm64: missing asset fails" test "$(rc darwin)" != 0

cp -r "$rel" "$work/tampered"
sed -i.bak '1s/^./0/;1s/^0\(.\)/1\1/' "$work/tampered/checksums.txt"
install_case tamper FAKE_RELEASE="$work/tampered"
check "install: checksum mismatch fails" test "$(rc tamper)" != 0
check "install: checksum mismatch says so" has tamper "checksum mismatch" stdout
check "install: nothing installed after a mismatch" test ! -e "$work/tamper/cache/iamvet/0.1.0/amd64/iamvet"

cp -r "$rel" "$work/unlisted"
grep -v linux_amd64 "$work/unlisted/checksums.txt" >"$work/unlisted/c" && mv "$work/unlisted/c" "$work/unlisted/checksums.txt"
install_case unlisted FAKE_RELEASE="$work/unlisted"
check "install: archive missing from checksums.txt fails" test "$(rc unlisted)" != 0

install_case badversion IV_VERSION="../../etc"
check "install: a non-version is refused" test "$(rc badversion)" = 2
check "install: refusal says why" has badversion "is not a release version" stdout

install_case badarch RUNNER_ARCH=ARM
check "install: unsupported arch fails" test "$(rc badarch)" = 2

# --- shellcheck ----------------------------------------------------------------

scripts=("$root"/scripts/*.sh)
[ -f "$root/.ci/sarif-validate.sh" ] && scripts+=("$root/.ci/sarif-validate.sh")
for s in "${scripts[@]}"; do
	check "bash -n ${s#"$root"/}" bash -n "$s"
done
if command -v shellcheck >/dev/null 2>&1; then
	for s in "${scripts[@]}"; do
		check "shellcheck ${s#"$root"/}" shellcheck "$s"
	done
else
	echo "skip shellcheck (not installed: apt-get install -y shellcheck)"
fi

# --- actionlint: the workflows, and their use of action.yml's inputs ------------

# IAMVET_ACTIONLINT=0 skips it (it is fetched through the Go module proxy).
if [ "${IAMVET_ACTIONLINT:-1}" != 0 ]; then
	check "actionlint .github/workflows" bash -c "cd '$root' && go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 .github/workflows/*.yml"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
