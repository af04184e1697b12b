"""The one way the reference scripts write their JSON: under test/, two-space indent, a final newline,
and the same JSON on stdout."""

import json
import os
import sys


def write_reference(relative_path, out):
    path = os.path.join(os.path.dirname(__file__), "..", "..", relative_path)
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    json.dump(out, sys.stdout, indent=2)
