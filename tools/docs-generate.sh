#!/bin/sh
# docs-generate (make docs): regenerate docs/ from schema descriptions,
# templates and examples with the terraform CLI on PATH.
#
# docs/actions and docs/list-resources need Terraform 1.14+ (see
# tools/docs-query.sh): with TF_QUERY_TERRAFORM set they are regenerated with
# it, otherwise they are kept as committed (tfplugindocs would remove them).
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
keep=$(mktemp -d)
trap 'rm -rf "$keep"' EXIT
for p in actions list-resources; do
	if [ -d "docs/$p" ]; then cp -R "docs/$p" "$keep/$p"; fi
done
(cd tools && "$GO" generate -tags generate ./...)
if [ -n "${TF_QUERY_TERRAFORM:-}" ]; then
	GO="$GO" sh tools/docs-query.sh
	exit 0
fi
for p in actions list-resources; do
	if [ -d "$keep/$p" ] && [ ! -d "docs/$p" ]; then cp -R "$keep/$p" "docs/$p"; fi
done
