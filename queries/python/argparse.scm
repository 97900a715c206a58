; Command-line configuration: argparse and HfArgumentParser, and the other CLI libraries.

(call
  function: [(identifier) @_f (attribute attribute: (identifier) @_f)]
  (#any-of? @_f "ArgumentParser" "HfArgumentParser")) @config.parser

; add_argument on the parser, argument groups, mutually exclusive groups and subparsers.
(call
  function: (attribute attribute: (identifier) @_m)
  (#eq? @_m "add_argument")) @config.argument

(call
  function: (attribute attribute: (identifier) @_m)
  (#any-of? @_m "add_argument_group" "add_mutually_exclusive_group" "add_subparsers" "add_parser")) @config.group

(call
  function: (attribute attribute: (identifier) @_m)
  (#any-of? @_m "parse_args" "parse_known_args" "parse_intermixed_args" "parse_args_into_dataclasses" "parse_dict" "parse_yaml_file" "parse_json_file")) @config.parse

; click (@click.command/@click.option), hydra (@hydra.main), typer: decorators that are calls on a module.
(decorator
  (call function: (attribute object: (identifier) @_lib) @config.decorator_name)
  (#any-of? @_lib "click" "hydra" "app")) @config.decorator

(call
  function: (attribute object: (identifier) @_o attribute: (identifier) @_m)
  (#eq? @_o "fire") (#eq? @_m "Fire")) @config.fire

(call
  function: (attribute object: (identifier) @_o attribute: (identifier) @_m)
  (#eq? @_o "flags") (#match? @_m "^DEFINE_")) @config.absl_flag

; absl: app.run(main) parses the flags.
(call
  function: (attribute object: (identifier) @_o attribute: (identifier) @_m)
  (#eq? @_o "app") (#eq? @_m "run")) @config.absl_run

(call
  function: [(identifier) @_f (attribute attribute: (identifier) @_f)]
  (#eq? @_f "LightningCLI")) @config.lightning_cli

; Configuration read some other way: YAML/JSON/OmegaConf files, sys.argv.
(call
  function: (attribute object: (identifier) @_o attribute: (identifier) @_m)
  (#any-of? @_o "yaml" "json" "toml" "tomllib" "OmegaConf")
  (#any-of? @_m "safe_load" "load" "full_load")) @config.file_load
(attribute
  object: (identifier) @_o attribute: (identifier) @_a
  (#eq? @_o "sys") (#eq? @_a "argv")) @config.sys_argv
