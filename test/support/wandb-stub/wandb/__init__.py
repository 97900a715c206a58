"""A recording stand-in for wandb, for tests only (never shipped).

Each call is appended as one JSON line to the file named by $WANDB_STUB_LOG, with the process id
and $RANK, so tests can assert the order and content of calls. It mimics what scripts rely on:
`wandb.run` is None until init, log() without step= counts steps itself, and log() before init
fails as the real library does.
"""
import json
import os
import uuid

run = None
_next_step = 0


class Run:
    def __init__(self, run_id, config):
        self.id = run_id
        self.config = config


def _record(call, **fields):
    with open(os.environ["WANDB_STUB_LOG"], "a", encoding="utf-8") as f:
        f.write(json.dumps({"call": call, "pid": os.getpid(), "rank": os.environ.get("RANK"), **fields}, default=repr) + "\n")


def init(project=None, entity=None, config=None, id=None, resume=None, mode=None, **kwargs):
    global run
    run = Run(id or uuid.uuid4().hex[:8], dict(config or {}))
    _record("init", project=project, entity=entity, config=config, id=id, resume=resume, mode=mode, run_id=run.id, kwargs=kwargs)
    return run


def log(data, step=None, commit=None):
    global _next_step
    if run is None:
        raise RuntimeError("You must call wandb.init() before wandb.log()")
    if step is None:
        step = _next_step
    _record("log", data=data, step=step)
    _next_step = step + 1


def finish(exit_code=None):
    global run
    _record("finish", run_id=run.id if run else None)
    run = None
