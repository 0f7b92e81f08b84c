#!/usr/bin/env python3
"""check_json.py NAME: validate the JSON document on stdin against
$defs/NAME of schemas/cli-output.schema.json (which may refer to the
other schemas); print what is wrong and exit 1, or print nothing.
check_json.py --dir DIR: the same for every DIR/N-NAME.json, where NAME
has _ for each blank ("3-goal_add.json")."""
import json
import os
import sys

import jsonschema

top = os.environ.get("CASEWORK_TOP", os.path.join(os.path.dirname(__file__), "..", ".."))
schemas = {}
for name in os.listdir(os.path.join(top, "schemas")):
    if name.endswith(".schema.json"):
        with open(os.path.join(top, "schemas", name)) as f:
            schemas[name] = json.load(f)
cli = schemas["cli-output.schema.json"]


def check(name, doc):
    if name not in cli["$defs"]:
        return [f"no $defs/{name} in cli-output.schema.json"]
    schema = {"$ref": cli["$id"] + "#/$defs/" + name.replace(" ", "%20")}
    try:  # jsonschema 4.18 and later
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())
        validator = jsonschema.Draft202012Validator(schema, registry=registry)
    except ImportError:  # Debian 12's 4.10
        resolver = jsonschema.RefResolver(
            "", schema, store={s["$id"]: s for s in schemas.values()})
        validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    return [f"{name}: {'/'.join(map(str, e.absolute_path)) or '$'}: {e.message[:200]}"
            for e in validator.iter_errors(doc)]


problems = []
if sys.argv[1] == "--dir":
    for file in sorted(os.listdir(sys.argv[2])):
        name = file.split("-", 1)[1].rsplit(".", 1)[0].replace("_", " ")
        with open(os.path.join(sys.argv[2], file)) as f:
            try:
                doc = json.load(f)
            except ValueError as e:
                problems.append(f"{file}: not JSON: {e}")
                continue
        problems += check(name, doc)
else:
    problems = check(sys.argv[1], json.load(sys.stdin))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
