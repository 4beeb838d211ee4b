#!/usr/bin/env bash
# sarif-validate.sh validates iamvet's SARIF the way GitHub code scanning reads
# it (INTEGRATION.md S-8, F-4.2): it installs Microsoft's SARIF Multitool from
# npm (@microsoft/sarif-multitool ships a self-contained binary per platform;
# no .NET needed), builds iamvet, writes SARIF for every testdata assembly
# (plus variants: suppressed findings included, a category set) and for the
# report package's golden SARIF files, and runs
#
#   Sarif.Multitool validate --rule-kind "Sarif;Gh" --config <github policy>
#
# on each. The policy turns on GitHub's ingestion rules GH1001-GH1006 (off by
# default) and raises SARIF2007 (paths relative to the repository root) to an
# error and SARIF2012 (help URIs) to a warning, as the SARIF SDK's GitHub
# policy does. Any error-level result fails the run; warnings are printed.
# The multitool exits 0 even when it reports errors, so its output log is read.
#
# If npm cannot install the multitool, this fails: it never passes without
# having validated. Ends with "N passed, N failed". Takes about 30 s.
#
# Environment: SARIF_MULTITOOL_VERSION (default 5.7.0); SARIF_VALIDATE_EXTRA,
# space-separated paths of more SARIF files to validate.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${SARIF_MULTITOOL_VERSION:-5.7.0}"
work="$(mktemp -d "${TMPDIR:-/tmp}/iamvet-sarif-validate.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

say() { echo "sarif-validate: $*"; }

for tool in go node npm jq; do
	command -v "$tool" >/dev/null 2>&1 || {
		say "FAIL: $tool is required"
		exit 1
	}
done

say "installing @microsoft/sarif-multitool@$version from npm"
mkdir -p "$work/npm"
if ! (cd "$work/npm" && npm install --no-audit --no-fund --no-save --loglevel=error \
	"@microsoft/sarif-multitool@$version" >"$work/npm.log" 2>&1); then
	cat "$work/npm.log"
	say "FAIL: could not install @microsoft/sarif-multitool@$version from npm (registry unreachable?); SARIF NOT validated"
	exit 1
fi
# The package's index.js resolves the platform package's binary. Call the
# binary directly: the package's bin.js runs it through a shell, which would
# split "Sarif;Gh" at the semicolon.
multitool="$(cd "$work/npm" && node -p "require('@microsoft/sarif-multitool')" 2>"$work/resolve.log")" || {
	cat "$work/resolve.log"
	say "FAIL: @microsoft/sarif-multitool has no binary for $(uname -s)/$(uname -m); SARIF NOT validated"
	exit 1
}
[ -x "$multitool" ] || chmod +x "$multitool"
say "multitool: $("$multitool" --version 2>&1 | head -n 1) ($multitool)"

# GitHub's ingestion policy for the validator (the rule settings of the SARIF
# SDK's policies/github.config.xml), plus SARIF2006 off: it fetches every
# helpUri over the network (GitHub does not), which only adds DNS timeouts
# where the network is closed. SARIF2012 still checks that help URIs exist.
policy="$work/github.config.xml"
{
	echo '<?xml version="1.0" encoding="utf-8"?>'
	echo '<Properties>'
	for setting in \
		SARIF2007.ExpressPathsRelativeToRepoRoot=Error \
		SARIF2012.ProvideHelpUris=Warning \
		GH1001.ProvideRequiredLocationProperties=Error \
		GH1002.InlineThreadFlowLocations=Error \
		GH1003.ProvideRequiredRegionProperties=Error \
		GH1004.ReviewArraysThatExceedConfigurableDefaults=Error \
		GH1005.LocationsMustBeRelativeUrisOrFilePaths=Error \
		GH1006.ProvideCheckoutPath=Error \
		SARIF2006.UrisShouldBeReachable=Disabled; do
		printf "  <Properties Key='%s.Options'><Property Key='RuleEnabled' Value='%s' /></Properties>\n" \
			"${setting%%=*}" "${setting#*=}"
	done
	echo '</Properties>'
} >"$policy"

say "building iamvet"
(cd "$root" && go build -o "$work/iamvet" ./cmd/iamvet)

# SARIF inputs: name -> file.
mkdir -p "$work/sarif"
names=()
gen() { # gen NAME [iamvet args...]
	local name="$1"
	shift
	local rc=0
	(cd "$root" && "$work/iamvet" --fail-on none --repo-root "$root" --sarif "$work/sarif/$name.sarif" "$@" \
		>/dev/null 2>"$work/sarif/$name.stderr") || rc=$?
	if [ "$rc" != 0 ] || [ ! -s "$work/sarif/$name.sarif" ]; then
		cat "$work/sarif/$name.stderr"
		say "FAIL: iamvet exited $rc for $name and wrote no SARIF"
		failed_gen=$((failed_gen + 1))
		return 0
	fi
	names+=("$name")
}
failed_gen=0
for asm in "$root"/testdata/corpus/*/cdk.out; do
	app="$(basename "$(dirname "$asm")")"
	gen "corpus-$app" "$asm"
done
[ "${#names[@]}" -gt 0 ] || {
	say "FAIL: no testdata assemblies found under testdata/corpus"
	exit 1
}
# Variants: suppressed findings listed (SARIF suppressions), a category
# (automationDetails), all assemblies in one run.
if [ -d "$root/testdata/corpus/l-nag-suppressions/cdk.out" ]; then
	gen variant-include-suppressed --include-suppressed testdata/corpus/l-nag-suppressions/cdk.out
fi
gen variant-category --category iamvet/corpus testdata/corpus/c-wildcards/cdk.out
all=()
for asm in testdata/corpus/*/cdk.out; do all+=("$asm"); done
gen variant-all-apps "${all[@]}"
# The report package's golden SARIF (hand-built findings, odd paths).
for g in "$root"/report/testdata/*.sarif.golden; do
	[ -f "$g" ] || continue
	name="golden-$(basename "$g" .sarif.golden)"
	cp "$g" "$work/sarif/$name.sarif"
	names+=("$name")
done

# Extra files to validate (to check that this script fails on bad SARIF).
for f in ${SARIF_VALIDATE_EXTRA:-}; do
	name="extra-$(basename "$f" .sarif)"
	cp "$f" "$work/sarif/$name.sarif"
	names+=("$name")
done

passed=0
failed=$failed_gen
for name in "${names[@]}"; do
	in="$work/sarif/$name.sarif"
	out="$work/sarif/$name.validation.sarif"
	if ! "$multitool" validate --rule-kind "Sarif;Gh" --config "$policy" --output "$out" "$in" \
		>"$work/sarif/$name.log" 2>&1 || [ ! -s "$out" ]; then
		cat "$work/sarif/$name.log"
		say "FAIL $name: the multitool did not run"
		failed=$((failed + 1))
		continue
	fi
	runs="$(jq '.runs | length' "$in" 2>/dev/null || echo invalid)"
	findings="$(jq '[.runs[]?.results[]?] | length' "$in" 2>/dev/null || echo 0)"
	errors="$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$out")"
	warnings="$(jq '[.runs[].results[]? | select(.level == null or .level == "warning")] | length' "$out")"
	tool_errors="$(jq '[.runs[].invocations[]? | select(.executionSuccessful == false)] | length' "$out")"
	jq -r '.runs[].results[]? | "    \(.level // "warning") \(.ruleId) \(.message.id // ""): \(.message.text // ((.message.arguments // []) | join(" | ")))"' "$out" | cut -c1-300
	if [ "$runs" != 1 ] || [ "$errors" != 0 ] || [ "$tool_errors" != 0 ]; then
		say "FAIL $name: $errors errors, $warnings warnings, $runs runs (want 1), $findings findings"
		failed=$((failed + 1))
	else
		say "ok   $name: 0 errors, $warnings warnings ($findings findings)"
		passed=$((passed + 1))
	fi
done

say "validated ${#names[@]} SARIF files with --rule-kind \"Sarif;Gh\" and the GitHub policy in $((SECONDS - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
