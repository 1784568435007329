"""The course's own boto3 code, run unchanged against the practice account.

    emulator/.venv/bin/python crates/sandbox/tests/course_code.py

tests/course/app.py is the week-one demo as the course writes it: two boto3 clients made with a
region only, the bucket and file names read from Parameter Store, then S3 Select over the JSON
document, printing each Records payload. Nothing in it names an endpoint or keys: the practice
account is reached through the environment alone (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY; an empty config and credentials file so nothing else leaks in), as a
learner would point the code at it. The records printed must be the data file's dragons, in
order. The binary is found or built as in differential_ssm.py.
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import differential_ssm as common  # noqa: E402

APP = pathlib.Path(__file__).resolve().parent / "course" / "app.py"
DATA = common.ROOT / "static" / "data" / "dragons.json"


def main():
    proc, endpoint = common.start_sandbox()
    try:
        with tempfile.TemporaryDirectory() as home:
            empty = pathlib.Path(home) / "empty"
            empty.write_text("")
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update({
                "AWS_ENDPOINT_URL": endpoint,
                "AWS_ACCESS_KEY_ID": common.PRACTICE_KEYS["aws_access_key_id"],
                "AWS_SECRET_ACCESS_KEY": common.PRACTICE_KEYS["aws_secret_access_key"],
                "AWS_CONFIG_FILE": str(empty),
                "AWS_SHARED_CREDENTIALS_FILE": str(empty),
                "AWS_EC2_METADATA_DISABLED": "true",
            })
            run = subprocess.run([sys.executable, str(APP)], env=env, capture_output=True, text=True, timeout=120)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if run.returncode != 0:
        sys.exit(f"the course's code failed:\n{run.stderr}")
    printed = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    expected = json.loads(DATA.read_text())
    if printed != expected:
        sys.exit(f"the course's code printed {len(printed)} records; the data file has {len(expected)}:\n{run.stdout[:2000]}")
    print(f"ok   the course's code listed all {len(printed)} dragons through Parameter Store and S3 Select")


if __name__ == "__main__":
    main()
