#!/bin/sh
# docs-query: regenerate docs/actions and docs/list-resources.
#
# tfplugindocs reads the provider schema through `terraform providers schema
# -json`, and only Terraform 1.14 and later report actions and list
# resources. The image's Terraform (1.11.4) does not, so `make docs` and
# docs-check keep these two directories as committed (docs-check still runs
# `tfplugindocs validate` on them) and this script regenerates them with a
# newer CLI:
#
#   TF_QUERY_TERRAFORM=/path/to/terraform-1.14+ sh tools/docs-query.sh
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
: "${TF_QUERY_TERRAFORM:?set TF_QUERY_TERRAFORM to a terraform 1.14 or newer binary}"

work=$(mktemp -d)
out=.docs-query # tfplugindocs renders relative to --provider-dir
trap 'rm -rf "$work" "$out"' EXIT
mkdir "$work/bin"
ln -s "$TF_QUERY_TERRAFORM" "$work/bin/terraform"
rm -rf "$out"
(cd tools && PATH="$work/bin:$PATH" "$GO" run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate \
	--provider-dir .. --provider-name entra --website-source-dir tools/templates --examples-dir examples --rendered-website-dir "$out")
for d in actions list-resources; do
	if [ ! -d "$out/$d" ]; then
		echo "docs-query: $TF_QUERY_TERRAFORM reported no $d (is it Terraform 1.14 or newer?)"
		exit 1
	fi
	rm -rf "docs/$d"
	cp -R "$out/$d" "docs/$d"
done
echo "docs-query: regenerated docs/actions and docs/list-resources"
