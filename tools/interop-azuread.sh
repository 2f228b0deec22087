#!/usr/bin/env bash
# Runs the AzureAD Terraform provider's own acceptance tests against graphsim.
#
#   tools/interop-azuread.sh AZUREAD_SRC RANDOM_SRC [TEST_REGEX]
#   make interop-azuread AZUREAD_SRC=… RANDOM_SRC=…
#
# AZUREAD_SRC is a source tree of hashicorp/terraform-provider-azuread (its
# vendor/ makes the build offline); RANDOM_SRC one of
# hashicorp/terraform-provider-random, built and served to terraform through
# a filesystem_mirror CLI configuration as the version the azuread tests pin
# (RANDOM_VERSION, default 3.6.2). Nothing from either tree is copied here:
# both are built where they are, at run time.
#
# INTEROP_PACKAGES (default: all six) and INTEROP_RUN narrow the selection;
# INTEROP_PARALLEL (default 4) is -test.parallel within a package. Separate
# INTEROP_WORK directories let several runs go at once, each with its own
# simulator.
#
# Output: per-test PASS/FAIL/SKIP lines and a summary; the full log and the
# simulator's log stay in $INTEROP_WORK (default: a new temp dir, printed).
set -euo pipefail

AZUREAD_SRC=${1:-${AZUREAD_SRC:-}}
RANDOM_SRC=${2:-${RANDOM_SRC:-}}
if [[ -z "$AZUREAD_SRC" || -z "$RANDOM_SRC" ]]; then
	echo "interop-azuread: SKIPPED — give the sources of the AzureAD and random providers:"
	echo "  make interop-azuread AZUREAD_SRC=/path/to/terraform-provider-azuread RANDOM_SRC=/path/to/terraform-provider-random"
	echo "  (e.g. git clone https://github.com/hashicorp/terraform-provider-azuread; nothing is downloaded by this script)"
	exit 0
fi
for d in "$AZUREAD_SRC" "$RANDOM_SRC"; do
	[[ -f "$d/go.mod" ]] || { echo "interop-azuread: $d is not a Go module source tree (no go.mod)" >&2; exit 2; }
done
AZUREAD_SRC=$(cd "$AZUREAD_SRC" && pwd)
RANDOM_SRC=$(cd "$RANDOM_SRC" && pwd)
REPO=$(cd "$(dirname "$0")/.." && pwd)
RANDOM_VERSION=${RANDOM_VERSION:-3.6.2}
WORK=${INTEROP_WORK:-$(mktemp -d /tmp/interop-azuread.XXXXXX)}
mkdir -p "$WORK"
LOCK=${HEAVY_BUILD_LOCK:-/tmp/heavy-build.lock}
command -v terraform >/dev/null || { echo "interop-azuread: terraform is not on PATH" >&2; exit 2; }
command -v jq >/dev/null || { echo "interop-azuread: jq is not on PATH (apt-get install jq)" >&2; exit 2; }

# The tests of the resources a SCIM provisioning configuration uses
# (issue 10): package → -run regex.
declare -A RUNS=(
	[applications]='^TestAcc(ApplicationTemplateDataSource_|ApplicationFromTemplate_)'
	[serviceprincipals]='^TestAcc(ClientConfigDataSource_basic|ServicePrincipalDataSource_(byObjectId|byClientId|byDisplayName|builtInByDisplayName)|ServicePrincipal_(useExisting|fromApplicationTemplate))$'
	[groups]='^TestAcc(Group_(basic|callerOwner|owners|members|membersAndOwners|preventDuplicateNamesPass|preventDuplicateNamesFail|visibility)|GroupDataSource_(byDisplayName|byDisplayNameWithSecurity|byDisplayNameWithSecurityNotMail|byCaseInsensitiveDisplayName|byMailNickname|byMailNicknameWithSecurity|byMailNicknameWithSecurityNotMail|byObjectId|byObjectIdWithSecurity|members|owners)|GroupMember_)'
	[users]='^TestAcc(User_(basic|complete|update|threeUsersABC|withRandomProvider|passwordOmitted|passwordInvalid)|UserDataSource_)'
	[approleassignments]='^TestAccAppRoleAssignment_'
	[synchronization]='^TestAccSynchronization'
)
PKGS=${INTEROP_PACKAGES:-"applications serviceprincipals groups users approleassignments synchronization"}

echo "interop-azuread: work dir $WORK"
echo "interop-azuread: azuread $(git -C "$AZUREAD_SRC" describe --tags --always 2>/dev/null || cat "$AZUREAD_SRC/version/VERSION" 2>/dev/null || echo '?')"

# 1. The random provider, served from a filesystem mirror.
MIRROR="$WORK/mirror"
RDIR="$MIRROR/registry.terraform.io/hashicorp/random/$RANDOM_VERSION/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$RDIR"
(cd "$RANDOM_SRC" && flock "$LOCK" go build -o "$RDIR/terraform-provider-random_v$RANDOM_VERSION" .)
cat >"$WORK/terraformrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/random"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/random"]
  }
}
EOF

# 2. The simulator.
(cd "$REPO" && go build -o "$WORK/graphsim" ./internal/graphsim/cmd/graphsim)
"$WORK/graphsim" -state-dir "$WORK/sim" -users 20 -groups 4 >"$WORK/sim.json" 2>"$WORK/graphsim.log" &
SIM_PID=$!
trap 'kill "$SIM_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
	[[ -s "$WORK/sim.json" ]] && break
	kill -0 "$SIM_PID" 2>/dev/null || { echo "interop-azuread: graphsim exited:" >&2; cat "$WORK/graphsim.log" >&2; exit 1; }
	sleep 0.1
done
[[ -s "$WORK/sim.json" ]] || { echo "interop-azuread: graphsim printed no ready line" >&2; exit 1; }
GRAPH=$(jq -r .graph_endpoint "$WORK/sim.json")

export ARM_TENANT_ID ARM_CLIENT_ID ARM_CLIENT_SECRET ARM_METADATA_HOSTNAME SSL_CERT_FILE
ARM_TENANT_ID=$(jq -r .tenant_id "$WORK/sim.json")
ARM_CLIENT_ID=$(jq -r .client_id "$WORK/sim.json")
ARM_CLIENT_SECRET=$(jq -r .client_secret "$WORK/sim.json")
ARM_METADATA_HOSTNAME=${GRAPH#https://}
SSL_CERT_FILE=$(jq -r .ca_file "$WORK/sim.json")
export TF_ACC=1 CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$WORK/terraformrc"
export TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform)}

# 3. The tests, one package at a time (the build of the test binaries is heavy).
LOG="$WORK/test.log"
: >"$LOG"
for pkg in $PKGS; do
	run=${INTEROP_RUN:-${RUNS[$pkg]}}
	echo "interop-azuread: ./internal/services/$pkg -run '$run'"
	(cd "$AZUREAD_SRC" && flock "$LOCK" go test -mod=vendor -c -o "$WORK/$pkg.test" "./internal/services/$pkg/")
	(cd "$AZUREAD_SRC/internal/services/$pkg" && "$WORK/$pkg.test" -test.v -test.count=1 -test.parallel "${INTEROP_PARALLEL:-4}" -test.timeout 60m -test.run "$run" 2>&1) | tee -a "$LOG" | grep -E '^(=== RUN|--- (PASS|FAIL|SKIP)|(PASS|FAIL|ok)\b)' || true
done

# 4. Summary (top-level tests and subtests).
pass=$(grep -cE '^\s*--- PASS' "$LOG" || true)
fail=$(grep -cE '^\s*--- FAIL' "$LOG" || true)
skip=$(grep -cE '^\s*--- SKIP' "$LOG" || true)
echo
echo "interop-azuread: $pass passed, $fail failed, $skip skipped (log: $LOG, simulator log: $WORK/graphsim.log)"
grep -E '^\s*--- (PASS|FAIL|SKIP)' "$LOG" | sed -E 's/ \([0-9.]+s\)$//' | sort | uniq >"$WORK/summary.txt"
cat "$WORK/summary.txt"
[[ "$fail" -eq 0 ]]
