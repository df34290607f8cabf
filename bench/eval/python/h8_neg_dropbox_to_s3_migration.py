"""One-off move of the Harbourside Architects project archive from Dropbox to S3.

Run once by hand from a laptop when the practice leaves Dropbox:
    python migrate_dropbox_to_s3.py /Projects s3://harbourside-archive/projects --dry-run
Walks the Dropbox folder recursively (list_folder, then list_folder_continue within this run),
streams each file into S3 with its Dropbox content hash as object metadata, and posts one summary
to the #it Slack channel at the end. Objects already in S3 with the same hash are skipped, so a
run that dies half-way can simply be started again.
"""

import argparse
import os
import sys

import boto3
import dropbox
import requests
from botocore.exceptions import ClientError
from dropbox.files import FileMetadata


def existing_hash(s3, bucket: str, key: str) -> str | None:
    try:
        return s3.head_object(Bucket=bucket, Key=key)["Metadata"].get("dropbox-hash")
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return None
        raise


def walk(dbx: dropbox.Dropbox, root: str):
    result = dbx.files_list_folder(root, recursive=True, limit=2000)
    while True:
        yield from (entry for entry in result.entries if isinstance(entry, FileMetadata))
        if not result.has_more:
            return
        result = dbx.files_list_folder_continue(result.cursor)


def main() -> int:
    parser = argparse.ArgumentParser(description="Copy a Dropbox folder into S3, once.")
    parser.add_argument("source", help="Dropbox folder, e.g. /Projects")
    parser.add_argument("target", help="s3://bucket/prefix")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    bucket, _, prefix = args.target.removeprefix("s3://").partition("/")
    dbx = dropbox.Dropbox(
        oauth2_refresh_token=os.environ["DROPBOX_REFRESH_TOKEN"],
        app_key=os.environ["DROPBOX_APP_KEY"],
        app_secret=os.environ["DROPBOX_APP_SECRET"],
    )
    s3 = boto3.client("s3")
    copied = skipped = 0
    for entry in walk(dbx, args.source):
        key = f"{prefix}/{entry.path_display.removeprefix(args.source).lstrip('/')}"
        if existing_hash(s3, bucket, key) == entry.content_hash:
            skipped += 1
            continue
        print(f"{'would copy' if args.dry_run else 'copy'} {entry.path_display} -> s3://{bucket}/{key}")
        if not args.dry_run:
            _, resp = dbx.files_download(entry.path_lower)
            s3.upload_fileobj(resp.raw, bucket, key, ExtraArgs={"Metadata": {"dropbox-hash": entry.content_hash}})
        copied += 1

    summary = f"Dropbox to S3 migration of {args.source}: {copied} copied, {skipped} already there"
    print(summary)
    if not args.dry_run and os.environ.get("SLACK_WEBHOOK_URL"):
        requests.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": summary}, timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
