"""Release notes generator for the ferrule CLI.

Run by hand by the release manager when cutting a release, e.g.
    python tools/release_notes.py v2.3.0 v2.4.0            # print Markdown to stdout
    python tools/release_notes.py v2.3.0 v2.4.0 --publish  # also create the GitHub release
Groups the conventional commits between two tags by type and credits each author's GitHub login.
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict
from functools import lru_cache

import requests

REPO = "ferrule-dev/ferrule"
API = f"https://api.github.com/repos/{REPO}"
SECTIONS = {"feat": "Features", "fix": "Bug fixes", "perf": "Performance", "docs": "Documentation"}
CONVENTIONAL = re.compile(r"^(?P<type>\w+)(?:\((?P<scope>[^)]+)\))?(?P<bang>!)?: (?P<subject>.+)$")
HEADERS = {"Authorization": f"Bearer {os.environ.get('GITHUB_TOKEN', '')}", "Accept": "application/vnd.github+json"}


def commits(old: str, new: str) -> list[tuple[str, str]]:
    out = subprocess.run(["git", "log", "--no-merges", "--format=%H%x09%s", f"{old}..{new}"],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if "\t" in line]


@lru_cache(maxsize=None)
def login_for(sha: str) -> str | None:
    resp = requests.get(f"{API}/commits/{sha}", headers=HEADERS, timeout=15)
    return (resp.json().get("author") or {}).get("login") if resp.ok else None


def render(old: str, new: str) -> str:
    grouped, breaking = defaultdict(list), []
    for sha, subject in commits(old, new):
        m = CONVENTIONAL.match(subject)
        if not m or m["type"] not in SECTIONS:
            continue
        who = login_for(sha)
        scope = f"**{m['scope']}:** " if m["scope"] else ""
        credit = f", @{who}" if who else ""
        line = f"- {scope}{m['subject']} ({sha[:7]}{credit})"
        grouped[m["type"]].append(line)
        if m["bang"]:
            breaking.append(line)
    parts = [f"## {new}\n"]
    if breaking:
        parts += ["### Breaking changes", *breaking, ""]
    for key, title in SECTIONS.items():
        if grouped[key]:
            parts += [f"### {title}", *grouped[key], ""]
    parts.append(f"**Full changelog**: https://github.com/{REPO}/compare/{old}...{new}")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old_tag")
    parser.add_argument("new_tag")
    parser.add_argument("--publish", action="store_true", help="create the GitHub release from the notes")
    parser.add_argument("--draft", action="store_true")
    args = parser.parse_args(argv)

    notes = render(args.old_tag, args.new_tag)
    print(notes)
    if args.publish:
        resp = requests.post(f"{API}/releases", headers=HEADERS, timeout=30, json={
            "tag_name": args.new_tag, "name": args.new_tag, "body": notes, "draft": args.draft,
        })
        if resp.status_code == 422:
            print(f"a release for {args.new_tag} already exists", file=sys.stderr)
            return 1
        resp.raise_for_status()
        print(f"published {resp.json()['html_url']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
