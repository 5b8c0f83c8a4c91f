#!/usr/bin/env python3
"""Totals the tests of one or more meson test logs (meson-logs/testlog.json).

Each Criterion program reports its own count ("Synthesis: Tested: N |
Passing: N | Failing: N | Crashing: N"); a program that died before saying
so, or that failed after its tests passed (a sanitizer report at exit),
counts as one failure. Prints one closing line, "tests: N passed, N failed",
and exits 1 if anything failed.
"""
import json
import re
import sys

SYNTHESIS = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")


def main() -> int:
    passed = failed = 0
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                entry = json.loads(line)
                output = (entry.get("stdout") or "") + (entry.get("stderr") or "")
                match = SYNTHESIS.search(output)
                ok = entry["result"] == "OK"
                if match:
                    _, passing, failing, crashing = map(int, match.groups())
                    passed += passing
                    failed += failing + crashing
                    if not ok and failing + crashing == 0:
                        failed += 1
                elif ok:
                    passed += 1
                else:
                    failed += 1
    print(f"tests: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
