#!/usr/bin/env python3
"""check_case_events.py [--sample] CASE.json...: check each case's client
events against the workflow the case is meant for (DESIGN.md, "Client
events: cases that respond"): the phase of `when`, every checkpoint named by
`reopen`, and every checkpoint added by `add` (its phase, a new id, a kind
and the fields that kind needs). A case without `workflow` is checked
against `standard`; a child-protection case without `workflow` against both
`standard` and `child-protection`, since either may be chosen at `start`.
Prints one line per problem, `FILE: JSON-PATH: what`, and exits 1 if there
was any, else prints nothing and exits 0.

--sample also checks what the shipped sample cases promise as a set: events
in at least six cases, at least one event reopening a checkpoint of an
earlier phase, and at least one adding a checkpoint to a later phase."""
import json
import os
import re
import sys

TOP = os.environ.get("CASEWORK_TOP",
                     os.path.join(os.path.dirname(__file__), "..", ".."))
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ADD_KINDS = ("confirm", "count", "choice", "coverage")
COUNT_RECORDS = ("note", "objective", "goal", "intervention", "evaluation",
                 "referral")
EVENT_KEYS = {"id", "when", "text", "reopen", "add"}
CHECKPOINT_KEYS = {"id", "label", "kind", "help", "min_chars", "record",
                   "tag", "min", "options"}


def load_workflow(name):
    path = os.path.join(TOP, "examples", "workflows", name + ".json")
    with open(path, encoding="utf-8") as f:
        w = json.load(f)
    order = [p["id"] for p in w["phases"]]
    owner = {c["id"]: p["id"] for p in w["phases"] for c in p["checkpoints"]}
    tags = {t["id"] for t in w.get("tags", [])}
    if not tags:  # a workflow without tags knows the tags its checkpoints name
        tags = {c["tag"] for p in w["phases"] for c in p["checkpoints"]
                if "tag" in c}
    return {"id": name, "order": order, "owner": owner, "tags": tags}


def is_text(v):
    return isinstance(v, str) and v.strip() != ""


def is_count(v, least):
    return isinstance(v, int) and not isinstance(v, bool) and v >= least


def check_checkpoint(cp, path, wf, taken, bad):
    if not isinstance(cp, dict):
        bad(path, "a checkpoint must be an object")
        return
    for k in sorted(set(cp) - CHECKPOINT_KEYS):
        bad(f"{path}.{k}", "unknown field")
    cid = cp.get("id")
    if not (isinstance(cid, str) and ID.match(cid)):
        bad(f"{path}.id", "a checkpoint needs an id of [a-z0-9-]")
    elif cid in wf["owner"]:
        bad(f"{path}.id", f"'{cid}' is already a checkpoint of phase "
            f"'{wf['owner'][cid]}' in workflow '{wf['id']}'")
    elif cid in taken:
        bad(f"{path}.id", f"'{cid}' is added by another event too")
    for k in ("label", "help"):
        if not is_text(cp.get(k)):
            bad(f"{path}.{k}", f"a checkpoint needs a {k}")
    kind = cp.get("kind")
    if kind not in ADD_KINDS:
        bad(f"{path}.kind", f"kind must be one of {', '.join(ADD_KINDS)}")
        return
    allowed = {"confirm": {"min_chars"}, "count": {"record", "tag", "min"},
               "choice": {"options", "min_chars"},
               "coverage": {"record"}}[kind]
    for k in sorted((set(cp) & CHECKPOINT_KEYS)
                    - {"id", "label", "kind", "help"} - allowed):
        bad(f"{path}.{k}", f"a {kind} checkpoint has no {k}")
    if kind in ("confirm", "choice") and not is_count(cp.get("min_chars"), 20):
        bad(f"{path}.min_chars", "must be a whole number of at least 20")
    if kind == "count":
        if cp.get("record") not in COUNT_RECORDS:
            bad(f"{path}.record", "must be one of " + ", ".join(COUNT_RECORDS))
        if not is_count(cp.get("min"), 1):
            bad(f"{path}.min", "must be a whole number of at least 1")
        if "tag" in cp and cp.get("record") != "note":
            bad(f"{path}.tag", "only a count of notes has a tag")
        elif "tag" in cp and cp["tag"] not in wf["tags"]:
            bad(f"{path}.tag", f"workflow '{wf['id']}' knows no tag "
                f"'{cp['tag']}'")
    if kind == "coverage" and cp.get("record") not in ("intervention",
                                                       "evaluation"):
        bad(f"{path}.record", "must be intervention or evaluation")
    if kind == "choice":
        opts = cp.get("options")
        if not (isinstance(opts, list) and len(opts) >= 2
                and len(set(map(str, opts))) == len(opts)
                and all(isinstance(o, str) and ID.match(o) for o in opts)):
            bad(f"{path}.options", "needs two or more distinct ids")


def check_events(events, wf, bad, facts):
    """Check one case's events against one workflow; record in `facts`
    whether some event reopens an earlier phase or adds to a later one."""
    if not isinstance(events, list):
        bad("$.events", "must be an array")
        return
    seen, added = set(), {}
    for i, ev in enumerate(events):
        at = f"$.events[{i}]"
        if not isinstance(ev, dict):
            bad(at, "an event must be an object")
            continue
        for k in sorted(set(ev) - EVENT_KEYS):
            bad(f"{at}.{k}", "unknown field")
        eid = ev.get("id")
        if not (isinstance(eid, str) and ID.match(eid)):
            bad(f"{at}.id", "an event needs an id of [a-z0-9-]")
        elif eid in seen:
            bad(f"{at}.id", f"'{eid}' is the id of an earlier event")
        seen.add(eid)
        if not is_text(ev.get("text")):
            bad(f"{at}.text", "an event needs a text")
        when = ev.get("when")
        phase = None
        if not isinstance(when, dict):
            bad(f"{at}.when", "needs an object with phase and records")
        else:
            for k in sorted(set(when) - {"phase", "records"}):
                bad(f"{at}.when.{k}", "unknown field")
            phase = when.get("phase")
            if phase not in wf["order"]:
                bad(f"{at}.when.phase", f"workflow '{wf['id']}' has no "
                    f"phase '{phase}'")
                phase = None
            if not is_count(when.get("records"), 0):
                bad(f"{at}.when.records", "must be a whole number, 0 or more")
        here = wf["order"].index(phase) if phase else None
        reopen = ev.get("reopen", [])
        if not isinstance(reopen, list) or not reopen and "reopen" in ev:
            bad(f"{at}.reopen", "must be a non-empty array of checkpoint ids")
            reopen = []
        for j, cid in enumerate(reopen):
            owner = wf["owner"].get(cid, added.get(cid))
            if owner is None:
                bad(f"{at}.reopen[{j}]", f"workflow '{wf['id']}' has no "
                    f"checkpoint '{cid}'")
            elif here is not None and wf["order"].index(owner) > here:
                bad(f"{at}.reopen[{j}]", f"'{cid}' belongs to the later "
                    f"phase '{owner}', which cannot have been met yet")
            elif here is not None and wf["order"].index(owner) < here:
                facts["reopens-earlier"] = True
        adds = ev.get("add", [])
        if not isinstance(adds, list) or not adds and "add" in ev:
            bad(f"{at}.add", "must be a non-empty array")
            adds = []
        for j, a in enumerate(adds):
            ap = f"{at}.add[{j}]"
            if not isinstance(a, dict):
                bad(ap, "must be an object with phase and checkpoint")
                continue
            for k in sorted(set(a) - {"phase", "checkpoint"}):
                bad(f"{ap}.{k}", "unknown field")
            target = a.get("phase")
            if target not in wf["order"]:
                bad(f"{ap}.phase", f"workflow '{wf['id']}' has no phase "
                    f"'{target}'")
                target = None
            check_checkpoint(a.get("checkpoint"), f"{ap}.checkpoint", wf,
                             added, bad)
            cp = a.get("checkpoint")
            if target and isinstance(cp, dict) and isinstance(cp.get("id"),
                                                              str):
                added.setdefault(cp["id"], target)
            if target and here is not None and \
                    wf["order"].index(target) > here:
                facts["adds-later"] = True


def main(argv):
    sample = "--sample" in argv
    files = [a for a in argv if a != "--sample"]
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    problems = []
    cache = {}
    with_events = 0
    facts = {}
    for path in files:
        def bad(where, what, path=path):
            problems.append(f"{path}: {where}: {what}")
        try:
            with open(path, encoding="utf-8") as f:
                case = json.load(f)
        except (OSError, ValueError) as e:
            bad("$", f"cannot read the case: {e}")
            continue
        if not isinstance(case, dict) or "events" not in case:
            continue
        with_events += 1
        names = [case["workflow"]] if "workflow" in case else \
            ["standard", "child-protection"] \
            if case.get("setting") == "child-protection" else ["standard"]
        for name in names:
            if name not in cache:
                try:
                    cache[name] = load_workflow(name)
                except OSError:
                    bad("$.workflow", f"no workflow '{name}' in "
                        "examples/workflows")
                    cache[name] = None
            if cache[name] is not None:
                check_events(case["events"], cache[name], bad, facts)
    if sample:
        if with_events < 6:
            problems.append(f"only {with_events} sample cases have events; "
                            "at least six should")
        if not facts.get("reopens-earlier"):
            problems.append("no sample case reopens a checkpoint of an "
                            "earlier phase")
        if not facts.get("adds-later"):
            problems.append("no sample case adds a checkpoint to a later "
                            "phase")
    for p in dict.fromkeys(problems):
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
