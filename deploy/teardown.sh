#!/usr/bin/env bash
# Removes a Wyvern class environment made by deploy.sh: empties its buckets (the site, and the
# dragon data with the learners' reports), deletes the stack (user pool, identity pool, roles,
# Dragon API) and what deploy.sh made outside it (the SecureString parameter, the API's code).
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
for bucket in "$(output SiteBucketName)" "$(output DataBucketName)"; do
  if [ -n "$bucket" ]; then
    echo "emptying s3://$bucket"
    aws s3 rm "s3://$bucket" --recursive --only-show-errors
  fi
done
echo "deleting the stack $stack"
aws cloudformation delete-stack --stack-name "$stack"
aws cloudformation wait stack-delete-complete --stack-name "$stack"
aws ssm delete-parameter --name /dragons/secret/feeding-schedule 2>/dev/null || true
account="$(aws sts get-caller-identity --query Account --output text)"
artifacts="wyvern-deploy-$account-$AWS_DEFAULT_REGION"
if aws s3api head-bucket --bucket "$artifacts" >/dev/null 2>&1; then
  aws s3 rm "s3://$artifacts" --recursive --exclude "*" --include "dragons-*.zip" --only-show-errors
  # The bucket goes too once nothing else is in it (another stack's code may be).
  aws s3 rb "s3://$artifacts" 2>/dev/null || echo "kept s3://$artifacts (other stacks' code is in it)"
fi
echo "done: $stack is gone"
