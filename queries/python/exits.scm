; Exit points: the `if __name__ == "__main__":` guard is a module-level `if` comparing __name__.
; (sys.exit/exit/quit calls and the entry function's returns are found by name, like all calls.)
(module
  (if_statement
    condition: (comparison_operator)) @exit.module_if)
