#!/usr/bin/python3
"""Validates JSON records (one per line) against a JSON Schema (draft 2020-12).

usage: validate_json.py SCHEMA RECORDS.jsonl
Exits 0 when every line is valid; otherwise prints each problem and exits 1.
"""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, records_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    bad = 0
    with open(records_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            for error in validator.iter_errors(json.loads(line)):
                print(f"{records_path}:{number}: {error.json_path}: {error.message}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
