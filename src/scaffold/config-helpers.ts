/**
 * Python for a generated experiment's helpers.py (scaffold only; run-time helpers shared with instrument
 * are in src/python-library).
 */

/** Imports the config helpers need. */
export const CONFIG_IMPORTS = ['import argparse', 'import yaml'];

/**
 * Command-line configuration with a YAML config file:
 * `add_hyperparameters(parser, defaults)` adds one `--name-with-dashes` flag per entry of a
 * `{name: default}` dict (typed by the default; booleans take true/false), and
 * `parse_with_config(parser, argv=None)` reads `--config FILE` first, makes the file's
 * `hyperparameters` the defaults, then parses the flags, which override them. It returns
 * `(args, file_config)`; an unknown hyperparameter in the file is an error naming it.
 * `base_parser(description, wandb_project)` defines the flags every generated train.py has.
 * `save_resolved_config(path, config)` writes the resolved config as YAML, atomically
 * (needs write_text_atomic from the results helpers).
 */
export const CONFIG_HELPERS = `def base_parser(description, wandb_project):
    """The flags every experiment has; hyperparameters are added by add_hyperparameters."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--config", help="YAML file whose values are the defaults")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument(
        "--deterministic", action="store_true", help="use deterministic kernels only"
    )
    parser.add_argument("--data", help="path of the real dataset (default: synthetic)")
    parser.add_argument(
        "--resume", action="store_true", help="continue from the latest checkpoint"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="one epoch on a few batches (sanity check)"
    )
    parser.add_argument("--wandb", action="store_true", help="log to Weights & Biases")
    parser.add_argument("--wandb-project", default=wandb_project)
    parser.add_argument(
        "--wandb-offline", action="store_true", help="log offline (wandb sync later)"
    )
    return parser


def resolve_run(parser, default_metrics, argv=None):
    """Parse flags and --config: (args, metric goals, the run's resolved config)."""
    args, file_config = parse_with_config(parser, argv)
    goals = dict(file_config.get("metrics") or default_metrics)
    if args.smoke:
        args.epochs = 1
    experiment = file_config.get("experiment") or {}
    return args, goals, dict(vars(args), metrics=goals, experiment=experiment)


def save_resolved_config(path, config):
    """Write the resolved config as YAML next to the results, atomically."""
    write_text_atomic(path, yaml.safe_dump(config, sort_keys=False))


def str_to_bool(value):
    """argparse type for true/false flags."""
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")


def add_hyperparameters(parser, defaults):
    """One --flag per hyperparameter, typed by its default (None: text)."""
    group = parser.add_argument_group("hyperparameters")
    for name, default in defaults.items():
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            kind = str_to_bool
        elif default is None:
            kind = str
        else:
            kind = type(default)
        group.add_argument(flag, dest=name, type=kind, default=default)


def parse_with_config(parser, argv=None):
    """Parse flags; the hyperparameters in --config FILE are the defaults they override."""
    args, _ = parser.parse_known_args(argv)
    file_config = {}
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            file_config = yaml.safe_load(f) or {}
        actions = {action.dest: action for action in parser._actions}
        values = dict(file_config.get("hyperparameters") or {})
        for name, value in values.items():
            if name not in actions:
                parser.error(f"{args.config}: unknown hyperparameter {name!r}")
            kind = actions[name].type
            if isinstance(value, str) and kind not in (None, str):
                values[name] = kind(value)
            elif isinstance(value, int) and kind is float:
                values[name] = float(value)
        parser.set_defaults(**values)
    return parser.parse_args(argv), file_config
`;
