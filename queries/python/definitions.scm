; Functions and classes: scopes for loops, the entry function, eval functions, helper parsers.
(function_definition) @definition.function
(class_definition) @definition.class

; Assignments from a call: which constructor or helper a name is bound to
; (optimizers, trainers, parsers, `args = get_args()`).
(assignment
  left: (_) @assignment.target
  right: (call function: (_) @assignment.callee)) @assignment.from_call

; Calls of plain names (`train(...)`, `main()`) and of methods on self (`self.validate()`),
; to link a function to the places that call it.
(call function: (identifier) @call.callee_name) @call.plain
(call
  function: (attribute
    object: (identifier) @_self
    attribute: (identifier) @call.callee_name)
  (#eq? @_self "self")) @call.self_method
