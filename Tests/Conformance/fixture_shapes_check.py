"""Validates the official example answers (Tests/Fixtures/ws-fapi) against the 200 schemas of
openapi.yaml: for each WebSocket method, every call whose upstream is that method must accept
the documented `result` (and its alternatives), so the typed answers are the real shapes.

Usage: fixture_shapes_check.py openapi.yaml FIXTURES_DIR
"""

import json
import pathlib
import re
import sys

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def main():
    spec = yaml.safe_load(pathlib.Path(sys.argv[1]).read_text())
    root = Resource(contents=spec, specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", root)
    # Calls by the upstream method their description names ("Upstream: WebSocket method `depth`").
    schemas = {}
    for path, item in spec["paths"].items():
        operation = item.get("post")
        match = operation and re.search(r"WebSocket method `([^`]+)`", operation.get("description", ""))
        if match:
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            schemas.setdefault(match.group(1), []).append((path, schema))
    checked = 0
    failures = []
    for fixture in sorted(pathlib.Path(sys.argv[2]).glob("*.json")):
        data = json.loads(fixture.read_text())
        method = data.get("method")
        if method not in schemas:
            continue
        results = [data["response"]["result"]]
        results += [alt["response"]["result"] for alt in data.get("alternative_responses", [])]
        for path, schema in schemas[method]:
            validator = jsonschema.Draft202012Validator(
                {"$ref": "urn:openapi#/" + "/".join(["paths", path.replace("/", "~1"), "post", "responses", "200",
                                                       "content", "application~1json", "schema"])},
                registry=registry)
            for result in results:
                checked += 1
                for error in validator.iter_errors(result):
                    failures.append(f"{fixture.name} vs {path}: {error.message} at {list(error.absolute_path)}")
    if failures:
        sys.exit("fixture shapes:\n  " + "\n  ".join(failures))
    print(f"fixture shapes: {checked} official results match the 200 schemas of their calls")


if __name__ == "__main__":
    main()
