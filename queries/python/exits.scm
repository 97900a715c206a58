; Exit points: the `if __name__ == "__main__":` guard is a module-level `if` comparing __name__,
; and the returns of the entry function. (sys.exit/exit/quit are found among calls.)
(module
  (if_statement
    condition: (comparison_operator)) @exit.module_if)
(return_statement) @exit.return
