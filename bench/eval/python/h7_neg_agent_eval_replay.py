"""Offline regression eval for the refunds agent (tool calling), run by hand or in CI on prompt changes.

    python -m evals.replay evals/cases/refunds.jsonl --model gpt-4o-mini --out results.csv

Each case is a fixed customer message with the tool calls we expect the agent to make. Tools are
never executed: they answer from the canned fixtures in evals/fixtures.json. The script prints a
pass rate and exits non-zero below --min-pass, so a prompt change that breaks routing fails CI.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

from openai import OpenAI

from agents.refunds import SYSTEM_PROMPT, TOOLS

FIXTURES: dict[str, dict] = json.loads(Path("evals/fixtures.json").read_text())


def fake_tool(name: str, args: dict) -> str:
    key = f"{name}:{args.get('order_id') or args.get('email') or ''}"
    return json.dumps(FIXTURES.get(key, {"error": "not found"}))


def replay(client: OpenAI, model: str, case: dict, max_steps: int = 6) -> list[str]:
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": case["message"]}]
    called: list[str] = []
    for _ in range(max_steps):
        completion = client.chat.completions.create(model=model, messages=messages, tools=TOOLS,
                                                    temperature=0, seed=7)
        reply = completion.choices[0].message
        if not reply.tool_calls:
            break
        messages.append(reply)
        for call in reply.tool_calls:
            called.append(call.function.name)
            result = fake_tool(call.function.name, json.loads(call.function.arguments))
            messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
    return called


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=Path)
    parser.add_argument("--model", default="gpt-4o-mini")
    parser.add_argument("--out", type=Path, default=Path("results.csv"))
    parser.add_argument("--min-pass", type=float, default=0.9)
    args = parser.parse_args()

    client = OpenAI()
    cases = [json.loads(line) for line in args.cases.read_text().splitlines() if line.strip()]
    passed = 0
    with args.out.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "expected", "called", "ok"])
        for case in cases:
            called = replay(client, args.model, case)
            ok = called == case["expected_tools"]
            passed += ok
            writer.writerow([case["id"], " ".join(case["expected_tools"]), " ".join(called), ok])
    rate = passed / len(cases) if cases else 0.0
    print(f"{args.model}: {passed}/{len(cases)} passed ({rate:.0%}), details in {args.out}")
    return 0 if rate >= args.min_pass else 1


if __name__ == "__main__":
    sys.exit(main())
