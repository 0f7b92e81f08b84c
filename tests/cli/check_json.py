#!/usr/bin/env python3
"""check_json.py NAME: validate the JSON document on stdin against
$defs/NAME of schemas/cli-output.schema.json (which may refer to the
other schemas); print what is wrong and exit 1, or print nothing."""
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
if sys.argv[1] not in cli["$defs"]:
    sys.exit(f"no $defs/{sys.argv[1]} in cli-output.schema.json")
doc = json.load(sys.stdin)
schema = {"$ref": cli["$id"] + "#/$defs/" + sys.argv[1].replace(" ", "%20")}
try:  # jsonschema 4.18 and later
    from referencing import Registry, Resource
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
except ImportError:  # Debian 12's 4.10
    resolver = jsonschema.RefResolver(
        "", schema, store={s["$id"]: s for s in schemas.values()})
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
errors = list(validator.iter_errors(doc))
for e in errors:
    print(f"{sys.argv[1]}: {'/'.join(map(str, e.absolute_path)) or '$'}: {e.message[:200]}")
sys.exit(1 if errors else 0)
