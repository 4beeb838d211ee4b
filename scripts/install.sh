#!/usr/bin/env bash
# install.sh installs a released iamvet binary for the GitHub Action
# (action.yml, INTEGRATION.md S-5): it maps the runner to a release archive
# (iamvet_<version>_<os>_<arch>.tar.gz, .zip on Windows, as .goreleaser.yaml
# names them), downloads it with checksums.txt, verifies the SHA-256, unpacks
# it into the tool cache and adds that directory to GITHUB_PATH. It sets the
# step output bin to the binary's path.
#
# Environment:
#   IV_VERSION        release tag (v0.1.0) or "latest"
#   GH_TOKEN          token for gh release download (optional for public repos)
#   IV_RELEASE_REPO   owner/name to download from (default iamvet/iamvet)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP, GITHUB_PATH,
#   GITHUB_OUTPUT     set by the runner
set -euo pipefail

fail() {
	echo "::error title=iamvet install::$*"
	exit 2
}

repo="${IV_RELEASE_REPO:-iamvet/iamvet}"
version="${IV_VERSION:-latest}"

case "${RUNNER_OS:-}" in
Linux) os=linux ;;
macOS) os=darwin ;;
Windows) os=windows ;;
*) fail "unsupported runner OS '${RUNNER_OS:-}' (want Linux, macOS or Windows); install iamvet yourself and set install: false" ;;
esac
case "${RUNNER_ARCH:-}" in
X64) arch=amd64 ;;
ARM64) arch=arm64 ;;
*) fail "unsupported runner architecture '${RUNNER_ARCH:-}' (want X64 or ARM64); install iamvet yourself and set install: false" ;;
esac
ext=tar.gz
exe=
if [ "$os" = windows ]; then
	ext=zip
	exe=.exe
fi

have() { command -v "$1" >/dev/null 2>&1; }

# Resolve "latest" to a tag so the cache and the archive name are exact.
if [ "$version" = latest ]; then
	if have gh; then
		version="$(gh release view --repo "$repo" --json tagName --jq .tagName)" ||
			fail "could not find the latest iamvet release of $repo"
	else
		url="$(curl -fsSLI --retry 3 -o /dev/null -w '%{url_effective}' "https://github.com/$repo/releases/latest")" ||
			fail "could not find the latest iamvet release of $repo"
		version="${url##*/}"
	fi
fi
# The version names a directory and a file: accept only version strings.
if ! [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
	fail "version '$version' is not a release version like v0.1.0 or 'latest'"
fi
tag="v${version#v}"
asset="iamvet_${tag#v}_${os}_${arch}.${ext}"

cache_root="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}"
dir="$cache_root/iamvet/${tag#v}/$arch"
bin="$dir/iamvet$exe"

if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then
	echo "iamvet $tag found in the tool cache: $dir"
else
	tmp="$(mktemp -d "${RUNNER_TEMP:-/tmp}/iamvet-install.XXXXXX")"
	trap 'rm -rf "$tmp"' EXIT
	echo "Downloading $asset from $repo release $tag"
	if have gh; then
		gh release download "$tag" --repo "$repo" --pattern "$asset" --pattern checksums.txt --dir "$tmp" ||
			fail "could not download $asset and checksums.txt from release $tag of $repo"
	else
		base="https://github.com/$repo/releases/download/$tag"
		for f in "$asset" checksums.txt; do
			curl -fsSL --retry 3 -o "$tmp/$f" "$base/$f" || fail "could not download $base/$f"
		done
	fi

	# Verify the archive against its line in checksums.txt (GoReleaser
	# format: "<sha256>  <file>"). A missing line is a failure, not a pass.
	want="$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/checksums.txt")"
	[ -n "$want" ] || fail "checksums.txt of release $tag does not list $asset"
	if have sha256sum; then
		got="$(sha256sum "$tmp/$asset" | awk '{ print $1 }')"
	elif have shasum; then
		got="$(shasum -a 256 "$tmp/$asset" | awk '{ print $1 }')"
	else
		fail "neither sha256sum nor shasum is available to verify $asset"
	fi
	if [ "$got" != "$want" ]; then
		fail "checksum mismatch for $asset: got $got, checksums.txt says $want"
	fi
	echo "Checksum OK: $asset sha256 $got"

	mkdir -p "$tmp/x"
	if [ "$ext" = zip ]; then
		if have unzip; then
			unzip -q -o "$tmp/$asset" -d "$tmp/x"
		elif have 7z; then
			7z x -y -o"$tmp/x" "$tmp/$asset" >/dev/null
		else
			zip_path="$tmp/$asset" dest="$tmp/x"
			if have cygpath; then
				zip_path="$(cygpath -w "$zip_path")" dest="$(cygpath -w "$dest")"
			fi
			# shellcheck disable=SC2016 # $env:... is PowerShell, expanded by pwsh
			IV_ZIP="$zip_path" IV_DEST="$dest" pwsh -NoProfile -Command \
				'Expand-Archive -Force -LiteralPath $env:IV_ZIP -DestinationPath $env:IV_DEST' ||
				fail "could not unpack $asset"
		fi
	else
		tar -xzf "$tmp/$asset" -C "$tmp/x"
	fi
	[ -f "$tmp/x/iamvet$exe" ] || fail "$asset has no iamvet$exe at its top level"
	mkdir -p "$dir"
	cp "$tmp/x/iamvet$exe" "$bin"
	chmod +x "$bin"
fi

"$bin" version || fail "the installed iamvet does not run: $bin"

path_dir="$dir"
if [ "$os" = windows ] && have cygpath; then
	path_dir="$(cygpath -w "$dir")"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
	echo "$path_dir" >>"$GITHUB_PATH"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	echo "bin=$bin" >>"$GITHUB_OUTPUT"
fi
