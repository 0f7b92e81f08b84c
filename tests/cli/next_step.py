#!/usr/bin/env python3
"""Read `casework status --json` on stdin and print the casework commands
that meet every open checkpoint of the current phase, then 'advance' -- one
command a line, shell-quoted; or, when a client event left a checkpoint of
an earlier phase open, the 'revisit' that goes back to it.  The bats tests use it to walk any case
through any workflow without knowing the workflow's checkpoints in advance.
An approval checkpoint gives 'approval request' and then 'approval grant',
which needs an instructor: on a database file, someone with a key.
Prints nothing when the session is closed."""
import json
import shlex
import sys

status = json.load(sys.stdin)
if status["status"] == "closed":
    sys.exit(0)
text = "A statement of what was done, long enough for any checkpoint here."
# a client event left a checkpoint of an earlier phase open: go back to it
for blocker in status.get("event_blockers", []):
    print(shlex.join(["revisit", blocker["phase"], "--reason",
                      "A client event reopened " + blocker["id"] + "."]))
    sys.exit(0)
commands = []
for cp in status["checkpoints"]:
    if cp["met"]:
        continue
    kind = cp["kind"]
    missing = max(cp["need"] - cp["have"], 1)
    if kind == "confirm":
        commands.append(["check", cp["id"], text])
    elif kind == "choice":
        commands.append(["choose", cp["id"], cp["options"][0], text])
    elif kind == "count":
        record = cp["record"]
        if record == "note":
            tag = ["--tag", cp["tag"]] if "tag" in cp else []
            step = ["note", *tag, "A note."]
        elif record == "goal":
            step = ["goal", "add", "--term", "short", "--measure", "a measure", "A goal."]
        else:
            step = [record, "add", "An entry."]
        commands += [step] * missing
    elif kind == "coverage":
        # the message lists every uncovered goal: "...; G1, G3 have none"
        goals = [w.strip(",") for w in cp["message"].split(";")[-1].split()
                 if w.strip(",").startswith("G")]
        for goal in goals or ["G1"]:
            if cp["record"] == "intervention":
                commands.append(["intervention", "add", goal, "--type", "other", "A step."])
            else:
                commands.append(["evaluation", "add", goal, "--outcome", "partial", "Some change."])
    elif kind == "approval":
        # the student asks (unless a request is pending), an instructor
        # grants: the caller runs that line as someone who may
        if cp.get("approval", {}).get("state") != "requested":
            commands.append(["approval", "request", cp["id"], text])
        commands.append(["approval", "grant", cp["id"], "Signed off: the plan is sound."])
    elif kind == "reflection":
        # one command per stage not yet written well enough
        for stage in cp.get("stages", []):
            if not stage.get("met"):
                commands.append(["reflect", stage["id"], text])
    else:
        sys.exit("unknown checkpoint kind " + kind)
commands.append(["advance"])
for c in commands:
    print(shlex.join(c))
