"""Checks asyncapi.yaml: a valid AsyncAPI 3.0 document, and real frames valid against it.

Usage: asyncapi_check.py ASYNCAPI_YAML [FRAMES_JSONL]

1. asyncapi3 (the AsyncAPI 3.0 object model) parses the document strictly: unknown or missing
   fields, a wrong version or a wrong operation action are errors.
2. Every `$ref` resolves inside the document; every schema in components/schemas is a valid
   JSON Schema (draft 7, which AsyncAPI's schema object extends); every message example validates
   against its message's payload.
3. FRAMES_JSONL, when given, holds one `{"schema": NAME, "frame": VALUE}` per line (frames a server
   really sent); each frame must validate against components/schemas/NAME.
Prints `asyncapi: N checks passed` or every problem, exit status 1.
"""

import json
import sys
import warnings

import jsonschema
import yaml

warnings.simplefilter("ignore")  # asyncapi3's pydantic models warn about shadowed field names
from asyncapi3 import AsyncAPI3  # noqa: E402


def refs(node, path="#"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            else:
                yield from refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from refs(value, f"{path}/{index}")


def resolve(document, pointer):
    node = document
    for part in pointer.removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def validator(document, target):
    """A draft-7 validator for `target` (a schema or a `$ref`) whose refs resolve in the document."""
    schema = dict(document)
    schema["$ref"] = target["$ref"] if "$ref" in target else None
    if schema["$ref"] is None:
        schema = dict(target, components=document.get("components", {}))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    problems, checks = [], 0

    try:
        AsyncAPI3.model_validate(document)
    except Exception as error:  # pydantic.ValidationError: every finding
        problems.append(f"not a valid AsyncAPI 3.0 document: {error}")
    checks += 1

    for where, ref in refs(document):
        checks += 1
        if not ref.startswith("#/") or resolve(document, ref) is None:
            problems.append(f"{where}: $ref {ref} does not resolve")

    for name, schema in document.get("components", {}).get("schemas", {}).items():
        checks += 1
        try:
            jsonschema.Draft7Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            problems.append(f"components/schemas/{name}: {error.message}")

    if problems:  # a schema that does not resolve cannot validate anything
        report(problems)

    for name, message in document.get("components", {}).get("messages", {}).items():
        payload = message.get("payload", {})
        for example in message.get("examples", []):
            checks += 1
            for error in validator(document, payload).iter_errors(example.get("payload")):
                problems.append(f"components/messages/{name} example {example.get('name')}: {error.message[:300]}")

    if len(sys.argv) > 2:
        validators = {}
        with open(sys.argv[2], encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                entry = json.loads(line)
                name = entry["schema"]
                if name not in validators:
                    validators[name] = validator(document, {"$ref": f"#/components/schemas/{name}"})
                checks += 1
                for error in validators[name].iter_errors(entry["frame"]):
                    path = "/".join(str(part) for part in error.absolute_path)
                    problems.append(f"frame {number} ({name}) at /{path}: {error.message[:300]}")

    if problems:
        report(problems)
    print(f"asyncapi: {checks} checks passed")


def report(problems):
    for problem in problems:
        print(problem[:1000])
    sys.exit(1)


if __name__ == "__main__":
    main()
