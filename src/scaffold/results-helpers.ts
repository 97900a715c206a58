/**
 * Python for a generated experiment's helpers.py (scaffold only; run-time helpers shared with instrument
 * are in src/python-library).
 */

/** Imports the results helpers need. */
export const RESULTS_IMPORTS = ['import datetime', 'import json', 'import math', 'import os', 'import subprocess'];

/**
 * `write_text_atomic(path, text)` / `write_json_atomic(path, data)` (temp file + fsync +
 * os.replace, parent directories created)
 * and `git_commit(directory)`: the HEAD commit of the repository holding DIRECTORY, or None
 * when git or the repository is missing. `now_iso()`: the UTC time, ISO 8601.
 * `run_paths(slug, seed, smoke)`: (checkpoint dir, results file, resolved-config file), relative to
 * the current directory; a smoke run's go beside the real ones (…/smoke/) so it never replaces them.
 * `results_record(slug, args, …)`: the content of results/SLUG/seed_N.json (status, final and best
 * metrics, config, seed, duration, git commit, times, epochs, smoke, diverged). JSON has no NaN:
 * a non-finite metric is written as null with `"diverged": true` (and status "diverged").
 * `is_finite_number(value)`: False for NaN and ±inf, used to stop training at a diverged loss.
 */
export const RESULTS_HELPERS = `def write_text_atomic(path, text):
    """Write TEXT so readers see the old file or the new one, never a partial one."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_json_atomic(path, data):
    """Write DATA as indented JSON, atomically."""
    # allow_nan=False: a bare NaN would make the file invalid JSON; results_record nulls them.
    text = json.dumps(data, indent=2, sort_keys=True, default=str, allow_nan=False)
    write_text_atomic(path, text + "\\n")


def now_iso():
    """The current UTC time, ISO 8601."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def run_paths(slug, seed, smoke):
    """(checkpoint dir, results file, resolved config file) of one seed's run."""
    run = f"seed_{seed}"
    # Smoke runs write beside the real ones: a quick check never replaces a real result.
    kind = "smoke" if smoke else ""
    checkpoints = os.path.join("checkpoints", slug, kind, run)
    results = os.path.join("results", slug, kind, f"{run}.json")
    resolved_config = os.path.join("results", slug, kind, f"{run}.config.yaml")
    return checkpoints, results, resolved_config


def is_finite_number(value):
    """False for NaN and +-inf (floats, numpy or torch scalars); True otherwise."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def _finite_or_none(value):
    return value if is_finite_number(value) else None


def results_record(
    slug, args, config, history, goals, started_at, duration, code_dir, diverged=False
):
    """Content of results/SLUG/seed_N.json; history is a list of per-epoch metrics.

    DIVERGED: training stopped at a non-finite loss. Non-finite metrics become None (JSON
    null), and any of them marks the run diverged too.
    """
    pick = {"max": max, "min": min}
    # A run stopped at its first non-finite loss may have no evaluated epoch at all.
    last = history[-1] if history else {name: None for name in goals}
    final = {name: _finite_or_none(value) for name, value in last.items()}
    best = {}
    for name, goal in goals.items():
        seen = [epoch[name] for epoch in history if is_finite_number(epoch.get(name))]
        best[name] = pick[goal](seen) if seen else None
    diverged = bool(diverged) or any(value is None for value in final.values())
    return {
        "slug": slug,
        "seed": args.seed,
        "status": "diverged" if diverged else "completed",
        "diverged": diverged,
        "final": final,
        "best": best,
        "config": config,
        "durationSec": round(duration, 3),
        "gitCommit": git_commit(code_dir),
        "startedAt": started_at,
        "endedAt": now_iso(),
        "epochs": len(history),
        "smoke": args.smoke,
    }


def git_commit(directory="."):
    """HEAD commit of the git repository containing DIRECTORY, or None."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None
`;
