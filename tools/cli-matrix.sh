#!/usr/bin/env bash
# CLI matrix: runs the provider's acceptance tests and seed examples on every
# CLI users run, not only the image's Terraform.
#
#   tools/cli-matrix.sh build NAME     build (or reuse) one CLI, print its path
#   tools/cli-matrix.sh test NAME...   run the acceptance tests on each CLI
#   tools/cli-matrix.sh test-cached NAME...  the same, only for CLIs already built
#   tools/cli-matrix.sh list           the CLIs this script knows
#
# NAME is one of:
#   terraform      the terraform on PATH (the image's 1.11.4; what `make test` runs)
#   tofu           OpenTofu $TOFU_VERSION, built from the Go module proxy
#   terraform-old  Terraform $TF_OLD_VERSION (the last MPL release), built from the Go module proxy
#   path:/abs/bin  any other binary, e.g. a Terraform >= 1.14 you built yourself
#
# Built CLIs live OUTSIDE the repository in $ENTRA_CLI_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-entra/cli/<name>-<version>/)
# and are reused when present, so only the first run on a machine pays for
# the build. Builds hold /tmp/heavy-build.lock: on a shared 2-core machine
# only one heavy Go build runs at a time.
#
# GO_TEST_RUN selects the tests (default: every acceptance test, seed
# examples included: TestAcc); GO_TEST_FLAGS adds flags to go test.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

GO=${GO:-go}
TOFU_VERSION=${TOFU_VERSION:-1.12.6}
TF_OLD_VERSION=${TF_OLD_VERSION:-1.5.7}
CACHE=${ENTRA_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-entra/cli}
GO_TEST_RUN=${GO_TEST_RUN:-TestAcc}
GO_TEST_FLAGS=${GO_TEST_FLAGS:-}
TEST_TIMEOUT=${TEST_TIMEOUT:-60m}

log() { echo "cli-matrix: $*" >&2; }

# A TF_CLI_CONFIG_FILE naming a missing file makes OpenTofu print a warning
# before its version line, which terraform-plugin-testing cannot parse: use
# an empty CLI configuration instead.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
  mkdir -p "$CACHE"
  : >"$CACHE/empty.tfrc"
  export TF_CLI_CONFIG_FILE="$CACHE/empty.tfrc"
fi

# build_from_proxy MODULE VERSION PACKAGE BINARY: go build PACKAGE of
# MODULE@VERSION (downloaded through the module proxy) into the cache.
build_from_proxy() {
  local module=$1 version=$2 pkg=$3 bin=$4
  local dir="$CACHE/$bin-$version"
  if [ -x "$dir/$bin" ]; then
    echo "$dir/$bin"
    return
  fi
  mkdir -p "$CACHE"
  local work
  work=$(mktemp -d "$CACHE/.build-$bin-$version.XXXXXX")
  local start=$SECONDS
  log "downloading $module@v$version from the module proxy"
  local src
  # Outside any module, so this repository's go.mod is not consulted.
  src=$(cd "$work" && GOFLAGS=-mod=mod "$GO" mod download -json "$module@v$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$src" ] || [ ! -d "$src" ]; then
    log "error: go mod download $module@v$version gave no directory"
    return 1
  fi
  # The module cache is read-only; go build wants to write nothing there,
  # but a writable copy keeps go generate'd files and vcs stamping out of it.
  cp -r "$src" "$work/src"
  chmod -R u+w "$work/src"
  log "building $bin $version (holds /tmp/heavy-build.lock; takes minutes on first use)"
  (
    flock 9
    locked=$SECONDS
    cd "$work/src"
    CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" "$GO" build -trimpath -o "$work/$bin" "$pkg"
    log "go build of $bin $version: $((SECONDS - locked)) s (after $((locked - start)) s of download and waiting for the lock)"
  ) 9>/tmp/heavy-build.lock
  mkdir -p "$dir"
  mv "$work/$bin" "$dir/$bin"
  chmod -R u+w "$work" && rm -rf "$work" # a failed build leaves it for inspection
  log "built $dir/$bin in $((SECONDS - start)) s"
  echo "$dir/$bin"
}

# cli_path NAME: the binary of one matrix entry (building it when needed).
cli_path() {
  case $1 in
    terraform) command -v terraform || { log "error: terraform is not on PATH"; return 1; } ;;
    tofu) build_from_proxy github.com/opentofu/opentofu "$TOFU_VERSION" ./cmd/tofu tofu ;;
    terraform-old) build_from_proxy github.com/hashicorp/terraform "$TF_OLD_VERSION" . terraform ;;
    path:*) local p=${1#path:}; [ -x "$p" ] || { log "error: $p is not an executable"; return 1; }; echo "$p" ;;
    *) log "error: unknown CLI $1 (terraform, tofu, terraform-old, path:/abs/bin)"; return 1 ;;
  esac
}

# test_cli NAME: the acceptance tests (seed examples included) on one CLI.
test_cli() {
  local bin
  bin=$(cli_path "$1")
  log "== $1: $("$bin" version 2>/dev/null | grep -E "^(Terraform|OpenTofu) v" | head -n1) ($bin)"
  local start=$SECONDS status=0
  # TF_ACC_TERRAFORM_PATH picks the binary for terraform-plugin-testing and
  # for the tests that run the CLI themselves (testAccTerraformPath).
  TF_ACC=1 TF_ACC_TERRAFORM_PATH="$bin" \
    "$GO" test -count=1 -timeout "$TEST_TIMEOUT" $GO_TEST_FLAGS -run "$GO_TEST_RUN" ./internal/provider/... || status=$?
  log "== $1: go test exit $status after $((SECONDS - start)) s"
  return $status
}

# cached_path NAME: the binary of a matrix entry if it is already built
# (nothing is built); empty otherwise.
cached_path() {
  local bin
  case $1 in
    tofu) bin="$CACHE/tofu-$TOFU_VERSION/tofu" ;;
    terraform-old) bin="$CACHE/terraform-$TF_OLD_VERSION/terraform" ;;
    *) cli_path "$1"; return ;;
  esac
  if [ -x "$bin" ]; then echo "$bin"; fi
}

case ${1:-} in
  test-cached)
    # CI: the entries already in the cache (the CI machine keeps it); an
    # entry not built yet is skipped with a message, so a fresh machine
    # stays within CI's time budget (make test-matrix builds them).
    shift
    failed=()
    for n in "$@"; do
      bin=$(cached_path "$n")
      if [ -z "$bin" ]; then
        log "== $n: SKIPPED, not built on this machine yet (make test-matrix builds it into $CACHE)"
        continue
      fi
      test_cli "path:$bin" || failed+=("$n")
    done
    if [ ${#failed[@]} -gt 0 ]; then log "FAILED on: ${failed[*]}"; exit 1; fi
    ;;
  build) shift; for n in "$@"; do cli_path "$n"; done ;;
  test)
    shift
    failed=()
    for n in "$@"; do test_cli "$n" || failed+=("$n"); done
    if [ ${#failed[@]} -gt 0 ]; then log "FAILED on: ${failed[*]}"; exit 1; fi
    log "passed on: $*"
    ;;
  list) echo "terraform tofu terraform-old path:/abs/bin" ;;
  *) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
