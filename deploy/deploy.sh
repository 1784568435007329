#!/usr/bin/env bash
# Creates (or updates) a Wyvern class environment in your AWS account and publishes the site:
#
#   deploy/deploy.sh [STACK_NAME] [CloudFront|Website]      (default: wyvern-class, CloudFront)
#
# CloudFront puts a private bucket behind CloudFront (HTTPS, security headers): the default, since
# the page takes passwords and keys. Website, an explicit choice, hosts the site on the S3 website
# endpoint (HTTP only). Without the argument a new stack gets CloudFront (the template's default)
# and an existing one keeps its hosting. See docs/instructors.md for the trade-off.
# It builds the release, uploads the Dragon API's code, deploys deploy/template.yaml with the AWS
# CLI, uploads the dragon data (once: learners' reports are kept on redeploys), its copies for
# Athena's tables and the site, and
# writes the site's config.json from the stack's outputs. Then add learners with
# deploy/add-users.py. Undo everything with deploy/teardown.sh.
#
# Needs the AWS CLI (v1 or v2) with credentials allowed to create these resources. The region is
# AWS_REGION / AWS_DEFAULT_REGION (default us-east-1). AWS_ENDPOINT_URL points every call at
# another endpoint, such as the local emulator (scripts/emulator.sh); then config.json names it.
# WYVERN_SITE names the built site to publish (default dist/, which the build makes);
# WYVERN_SKIP_BUILD=1 publishes it as it is.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stack="${1:-wyvern-class}"
hosting="${2:-}"
case "$hosting" in ""|CloudFront|Website) ;; *) echo "deploy: hosting is CloudFront or Website" >&2; exit 2 ;; esac
site="${WYVERN_SITE:-$root/dist}"
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
export AWS_DEFAULT_REGION="$region"
work="$root/target/deploy-$stack"
say() { printf '\n==> %s\n' "$*"; }

command -v aws >/dev/null || { echo "deploy: the AWS CLI is needed (https://aws.amazon.com/cli/)" >&2; exit 1; }

if [ "${WYVERN_SKIP_BUILD:-}" != 1 ]; then
  say "building the site (release)"
  (cd "$root" && . scripts/setup.sh && python3 scripts/build-site.py)
fi
[ -f "$site/index.html" ] || { echo "deploy: no $site/index.html to publish" >&2; exit 1; }

say "the Dragon API's code"
account="$(aws sts get-caller-identity --query Account --output text)"
# Anyone can guess this name and create the bucket first: every call on it names the account
# that must own it (S3 answers AccessDenied otherwise), so the code never lands in theirs.
artifacts="wyvern-deploy-$account-$region"
if ! aws s3api head-bucket --bucket "$artifacts" --expected-bucket-owner "$account" >/dev/null 2>&1; then
  # Fails (BucketAlreadyExists) when the name is taken by another account.
  if [ "$region" = us-east-1 ]; then
    aws s3api create-bucket --bucket "$artifacts" >/dev/null
  else
    aws s3api create-bucket --bucket "$artifacts" --create-bucket-configuration "LocationConstraint=$region" >/dev/null
  fi
fi
rm -rf "$work" && mkdir -p "$work"
(cd "$root/deploy/lambda" && python3 -m zipfile -c "$work/dragons.zip" dragons_api.py)
code_key="dragons-$(sha256sum "$root/deploy/lambda/dragons_api.py" | cut -c1-16).zip"
aws s3api put-object --bucket "$artifacts" --key "$code_key" --body "$work/dragons.zip" \
  --expected-bucket-owner "$account" >/dev/null

say "the stack $stack ($region)"
# Some CloudFormation implementations (moto's) refuse an empty change set outright rather than
# report it: that is "nothing to do" too.
if ! deployed="$(aws cloudformation deploy --stack-name "$stack" --template-file "$root/deploy/template.yaml" \
  --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \
  --parameter-overrides "LambdaCodeBucket=$artifacts" "LambdaCodeKey=$code_key" ${hosting:+"Hosting=$hosting"} 2>&1)"; then
  grep -q "No updates are to be performed" <<<"$deployed" || { echo "$deployed" >&2; exit 1; }
fi
echo "$deployed"
aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].Outputs" --output json \
  > "$work/outputs.json"
output() {
  python3 -c 'import json,sys; print(next((o["OutputValue"] for o in json.load(open(sys.argv[1])) if o["OutputKey"] == sys.argv[2]), ""))' \
    "$work/outputs.json" "$1"
}
site_bucket="$(output SiteBucketName)"
data_bucket="$(output DataBucketName)"
data_key="$(output DataKey)"

say "the dragon data, Athena's tables and the course's secret parameter"
if aws s3api head-object --bucket "$data_bucket" --key "$data_key" --expected-bucket-owner "$account" >/dev/null 2>&1; then
  echo "s3://$data_bucket/$data_key exists: kept (it holds the learners' reports)"
else
  aws s3api put-object --bucket "$data_bucket" --key "$data_key" --body "$root/static/data/dragons.json" \
    --content-type application/json --expected-bucket-owner "$account" >/dev/null
fi
# Athena's tables: the same dragons as JSON lines and as CSV, a folder each (copies, replaced on
# every deploy; learners' reports go to the data object above, not here).
for table in dragons_jsonl:jsonl dragons_csv:csv; do
  aws s3api put-object --bucket "$data_bucket" --key "tables/${table%%:*}/dragons.${table#*:}" \
    --body "$root/static/data/dragons.${table#*:}" --expected-bucket-owner "$account" >/dev/null
done
# CloudFormation cannot create SecureString parameters.
if ! aws ssm get-parameter --name /dragons/secret/feeding-schedule >/dev/null 2>&1; then
  aws ssm put-parameter --name /dragons/secret/feeding-schedule --type SecureString --value "dawn and dusk" >/dev/null
fi

say "the site and its config.json"
python3 - "$work/outputs.json" "$region" "${AWS_ENDPOINT_URL:-}" > "$work/config.json" <<'PY'
import json, sys
outputs = {o["OutputKey"]: o["OutputValue"] for o in json.load(open(sys.argv[1]))}
config = {
    "region": sys.argv[2],
    "identityPoolId": outputs["IdentityPoolId"],
    "guestRoleArn": outputs["GuestRoleArn"],
    "userPoolId": outputs["UserPoolId"],
    "userPoolClientId": outputs["UserPoolClientId"],
    "dragonApiUrl": outputs["DragonApiUrl"],
    "dataBucketParameter": "dragon_data_bucket_name",
    "dataKeyParameter": "dragon_data_file_name",
    "athenaWorkGroup": outputs["AthenaWorkGroup"],
    "athenaDatabase": outputs["AthenaDatabase"],
    "athenaJsonTable": outputs["AthenaJsonTable"],
    "athenaCsvTable": outputs["AthenaCsvTable"],
}
if sys.argv[3]:
    # An emulator: every service, and the Dragon API's data plane, answer at its endpoint.
    config["endpoint"] = sys.argv[3]
    config["dragonApiUrl"] = sys.argv[3].rstrip("/") + "/prod/dragons"
print(json.dumps(config, indent=2))
PY
cp -r "$site" "$work/site"
python3 "$root/scripts/site-config.py" "$work/site" "$work/config.json"
# aws s3 sync and cp cannot name the expected owner: check it before them.
aws s3api head-bucket --bucket "$site_bucket" --expected-bucket-owner "$account" >/dev/null ||
  { echo "deploy: s3://$site_bucket is not this account's bucket" >&2; exit 1; }
# wasm needs its own type for streaming compilation; the rest is guessed from the extension.
aws s3 sync --only-show-errors "$work/site" "s3://$site_bucket" --delete --exclude "*.wasm"
for f in "$work"/site/*.wasm; do
  aws s3 cp --only-show-errors "$f" "s3://$site_bucket/$(basename "$f")" --content-type application/wasm
done

distribution="$(output SiteDistributionId)"
if [ -n "$distribution" ]; then
  # CloudFront caches the pages: show the new ones at once.
  aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*" >/dev/null
fi

say "done"
site_url="$(output SiteUrl)"
echo "Learners open: $site_url"
case "$site_url" in
  http://*) echo "Note: plain HTTP (Website hosting); deploy/deploy.sh $stack CloudFront serves it over HTTPS (a new link)." ;;
esac
echo "Add class accounts: deploy/add-users.py $stack learners.csv"
