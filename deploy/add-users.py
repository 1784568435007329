#!/usr/bin/env python3
"""Adds class accounts to a Wyvern class environment's user pool, from a CSV file:

    deploy/add-users.py STACK_NAME learners.csv

The CSV has a header row with `username` and `temporary_password`, and optionally `email`.
Each learner signs in with the temporary password and chooses a new one at first sign-in
(Wyvern asks for it). Cognito does not send e-mails (the instructor hands out the passwords);
an e-mail address is stored, verified, for password resets. Existing users are skipped.
Uses the AWS CLI, like deploy.sh (same region and AWS_ENDPOINT_URL settings). Passwords reach
it in a file only this user can read, never on its command line, which every user of the machine
can see (ps, /proc).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile


REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def aws(*args):
    done = subprocess.run(["aws", *args, "--region", REGION, "--output", "json"], capture_output=True, text=True)
    return done.returncode, (json.loads(done.stdout) if done.stdout.strip() else None), done.stderr.strip()


def aws_with_input(request, *args):
    """`aws ARGS --cli-input-json` with the request in a 0600 temporary file, removed afterwards
    (not a pipe: AWS CLI v1 reads the file twice)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(request, f)
        f.flush()
        return aws(*args, "--cli-input-json", "file://" + f.name)


def user_pool_id(stack):
    code, out, err = aws("cloudformation", "describe-stacks", "--stack-name", stack)
    if code != 0:
        sys.exit(f"add-users: no stack {stack}: {err}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in out["Stacks"][0].get("Outputs") or []}
    if "UserPoolId" not in outputs:
        sys.exit(f"add-users: stack {stack} has no UserPoolId output")
    return outputs["UserPoolId"]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    stack, path = sys.argv[1], sys.argv[2]
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    problems = [n for n, r in enumerate(rows, start=2) if not (r.get("username") or "").strip() or not (r.get("temporary_password") or "").strip()]
    if problems:
        sys.exit(f"add-users: rows {problems} need a username and a temporary_password")
    pool = user_pool_id(stack)
    added = skipped = 0
    failed = []
    for row in rows:
        username = row["username"].strip()
        request = {"UserPoolId": pool, "Username": username, "TemporaryPassword": row["temporary_password"].strip(),
                   "MessageAction": "SUPPRESS"}
        email = (row.get("email") or "").strip()
        if email:
            request["UserAttributes"] = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
        code, _, err = aws_with_input(request, "cognito-idp", "admin-create-user")
        if code == 0:
            added += 1
        elif "UsernameExistsException" in err:
            skipped += 1
        else:
            failed.append(f"{username}: {err.splitlines()[-1] if err else 'failed'}")
    print(f"add-users: {added} added, {skipped} already there, {len(failed)} failed")
    for line in failed:
        print("  " + line)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
