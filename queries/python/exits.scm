; Exit points.

; if __name__ == "__main__":  (either operand order)
(if_statement
  condition: (comparison_operator [(identifier) @_n (string)] [(identifier) @_n (string)])
  (#eq? @_n "__name__")) @exit.main_guard

(call
  function: (attribute object: (identifier) @_o attribute: (identifier) @_m)
  (#any-of? @_o "sys" "os") (#any-of? @_m "exit" "_exit")) @exit.call
(call
  function: (identifier) @_f
  (#any-of? @_f "exit" "quit")) @exit.call

(return_statement) @exit.return
