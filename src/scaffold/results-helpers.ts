/**
 * Python for a generated experiment's helpers.py (scaffold only; run-time helpers shared with instrument
 * are in src/python-library).
 */

/** Imports the results helpers need. */
export const RESULTS_IMPORTS = ['import datetime', 'import json', 'import os', 'import subprocess'];

/**
 * `write_text_atomic(path, text)` / `write_json_atomic(path, data)` (temp file + fsync +
 * os.replace, parent directories created)
 * and `git_commit(directory)`: the HEAD commit of the repository holding DIRECTORY, or None
 * when git or the repository is missing. `now_iso()`: the UTC time, ISO 8601.
 * `run_paths(slug, seed, smoke)`: (checkpoint dir, results file, resolved-config file), relative to
 * the current directory. `results_record(slug, args, …)`: the content of results/SLUG/seed_N.json (status,
 * final and best metrics, config, seed, duration, git commit, times, epochs, smoke).
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
    text = json.dumps(data, indent=2, sort_keys=True, default=str)
    write_text_atomic(path, text + "\\n")


def now_iso():
    """The current UTC time, ISO 8601."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def run_paths(slug, seed, smoke):
    """(checkpoint dir, results file, resolved config file) of one seed's run."""
    run = f"seed_{seed}"
    checkpoints = os.path.join("checkpoints", slug, "smoke" if smoke else "", run)
    results = os.path.join("results", slug, f"{run}.json")
    return checkpoints, results, os.path.join("results", slug, f"{run}.config.yaml")


def results_record(slug, args, config, history, goals, started_at, duration, code_dir):
    """Content of results/SLUG/seed_N.json; history is a list of per-epoch metrics."""
    pick = {"max": max, "min": min}
    best = {
        name: pick[goal](epoch[name] for epoch in history)
        for name, goal in goals.items()
    }
    return {
        "slug": slug,
        "seed": args.seed,
        "status": "completed",
        "final": dict(history[-1]),
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
