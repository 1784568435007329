#!/usr/bin/env bash
# Removes a Wyvern class environment made by deploy.sh: empties its buckets (the site, the
# dragon data with the learners' reports, Athena's results), deletes the stack (user pool,
# identity pool, roles, Dragon API, the Athena workgroup and tables) and what deploy.sh made outside it (the SecureString parameter, the API's code).
#
#   deploy/teardown.sh [STACK_NAME]        (default: wyvern-class)
#
# Same region and AWS_ENDPOINT_URL settings as deploy.sh. There is no undo.
set -euo pipefail
stack="${1:-wyvern-class}"
export AWS_DEFAULT_REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"

if ! outputs="$(aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].Outputs" --output json 2>/dev/null)"; then
  echo "teardown: there is no stack $stack" >&2
  exit 1
fi
output() {
  python3 -c 'import json,sys; print(next((o["OutputValue"] for o in (json.loads(sys.argv[1]) or []) if o["OutputKey"] == sys.argv[2]), ""))' "$outputs" "$1"
}
account="$(aws sts get-caller-identity --query Account --output text)"
for bucket in "$(output SiteBucketName)" "$(output DataBucketName)" "$(output AthenaResultsBucketName)"; do
  if [ -n "$bucket" ]; then
    # aws s3 rm cannot name the expected owner: check it first.
    aws s3api head-bucket --bucket "$bucket" --expected-bucket-owner "$account" >/dev/null ||
      { echo "teardown: s3://$bucket is not this account's bucket" >&2; exit 1; }
    echo "emptying s3://$bucket"
    aws s3 rm "s3://$bucket" --recursive --only-show-errors
  fi
done
echo "deleting the stack $stack"
aws cloudformation delete-stack --stack-name "$stack"
aws cloudformation wait stack-delete-complete --stack-name "$stack"
aws ssm delete-parameter --name /dragons/secret/feeding-schedule 2>/dev/null || true
# The deployment bucket's name is predictable: every call names the account that must own it.
artifacts="wyvern-deploy-$account-$AWS_DEFAULT_REGION"
if aws s3api head-bucket --bucket "$artifacts" --expected-bucket-owner "$account" >/dev/null 2>&1; then
  for key in $(aws s3api list-objects-v2 --bucket "$artifacts" --prefix dragons- --expected-bucket-owner "$account" \
      --query "Contents[?ends_with(Key, '.zip')].Key" --output text); do
    [ "$key" = None ] || aws s3api delete-object --bucket "$artifacts" --key "$key" --expected-bucket-owner "$account" >/dev/null
  done
  # The bucket goes too once nothing else is in it (another stack's code may be).
  aws s3api delete-bucket --bucket "$artifacts" --expected-bucket-owner "$account" 2>/dev/null ||
    echo "kept s3://$artifacts (other stacks' code is in it)"
fi
echo "done: $stack is gone"
