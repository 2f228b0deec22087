#!/bin/sh
# docs-check: fail when the generated documentation in docs/ is not what
# `make docs` produces from the current schema, templates and examples, or
# when the Terraform Registry's validator rejects it.
#
# It compares docs/ before and after regenerating (not with git), so it gives
# the same answer in a fresh CI clone and in a working tree whose regenerated
# docs are not committed yet. Regeneration is left in place: after a failure,
# review `git diff docs/` and commit it.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
GENERATED="index.md resources data-sources guides" # the rest of docs/ is hand-written

before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT
for p in $GENERATED; do
	if [ -e "docs/$p" ]; then cp -R "docs/$p" "$before/$p"; fi
done
mkdir -p "$before/resources" "$before/data-sources" "$before/guides"

# Regenerates; docs/actions and docs/list-resources are kept (or regenerated
# with TF_QUERY_TERRAFORM), see tools/docs-generate.sh.
GO="$GO" sh tools/docs-generate.sh
if ! (cd tools && "$GO" run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs validate --provider-dir .. --provider-name entra) >"$before/validate.log" 2>&1; then
	grep -v '\[DEBUG\]' "$before/validate.log"
	echo "tfplugindocs validate rejected docs/ (Terraform Registry layout and front matter)"
	exit 1
fi

stale=0
for p in $GENERATED; do
	if ! diff -ruN "$before/$p" "docs/$p" >"$before/diff" 2>&1; then
		stale=1
		head -n 60 "$before/diff"
	fi
done

missing=""
for f in docs/resources/*.md docs/data-sources/*.md; do
	grep -q '^## Example Usage' "$f" || missing="$missing $f:Example-Usage"
done
for f in docs/resources/*.md; do
	grep -q '^## Import' "$f" || missing="$missing $f:Import"
done
if [ -n "$missing" ]; then
	echo "docs pages without a section (add examples/.../resource.tf, import.sh or a template in tools/templates):$missing"
	exit 1
fi
if [ "$stale" -ne 0 ]; then
	echo "docs/ was stale and has now been regenerated: review 'git diff docs/' and commit it"
	exit 1
fi
echo "docs-check: docs/ is up to date"
