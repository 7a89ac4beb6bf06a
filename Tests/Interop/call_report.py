"""The report the client suites print: each call's outcome under "calls" ("ok" or the exception,
so the later calls still run) and the figures the Swift test checks under "checks"."""
import json
import sys
import traceback


class CallReport:
    def __init__(self):
        self.calls, self.checks = {}, {}

    def call(self, name, function):
        """`function()`'s answer, or None after recording its exception under `name`."""
        try:
            result = function()
            self.calls[name] = "ok"
            return result
        except Exception as error:  # every failure is reported
            self.calls[name] = f"{type(error).__name__}: {error}"
            traceback.print_exc(file=sys.stderr)
            return None

    def print(self):
        print(json.dumps({"calls": self.calls, "checks": self.checks}))
