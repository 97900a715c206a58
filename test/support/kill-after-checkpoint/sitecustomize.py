"""Simulated preemption for framework tests: SIGKILL this process once a checkpoint is complete on disk.

EXPKIT_KILL_AFTER is a glob (relative to the working directory) of the file a framework writes last
when it saves a checkpoint; a file ending in .json must also parse (it is written after the weights).
A daemon thread polls every few milliseconds, so the kill lands right after the first checkpoint,
long before the run could finish. Without the variable this does nothing.
"""
import os

_pattern = os.environ.get("EXPKIT_KILL_AFTER")

if _pattern:
    import glob
    import json
    import signal
    import threading
    import time

    def _complete(path):
        if not path.endswith(".json"):
            return True
        try:
            with open(path) as f:
                json.load(f)
            return True
        except (OSError, ValueError):
            return False

    def _watch():
        while True:
            if any(_complete(p) for p in glob.glob(_pattern)):
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(0.005)

    threading.Thread(target=_watch, daemon=True, name="expkit-kill-after-checkpoint").start()
