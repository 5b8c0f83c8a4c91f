#!/usr/bin/python3
"""Validates JSON records (one per line) against JSON Schemas (draft 2020-12).

usage: validate_json.py SCHEMA RECORDS.jsonl
       validate_json.py SCHEMA_DIR RECORDS.jsonl   (each record against
                                                   SCHEMA_DIR/<its "type">.schema.json)
Exits 0 when every line is valid; otherwise prints each problem and exits 1.
"""
import json
import os
import sys

import jsonschema


def load(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def main() -> int:
    schemas, records_path = sys.argv[1], sys.argv[2]
    by_type = os.path.isdir(schemas)
    validators = {}
    bad = 0
    with open(records_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            record = json.loads(line)
            key = record.get("type", "") if by_type else ""
            if key not in validators:
                path = os.path.join(schemas, f"{key}.schema.json") if by_type else schemas
                if not os.path.exists(path):
                    print(f"{records_path}:{number}: no schema for type {key!r}")
                    bad += 1
                    continue
                validators[key] = load(path)
            for error in validators[key].iter_errors(record):
                print(f"{records_path}:{number}: {error.json_path}: {error.message}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
