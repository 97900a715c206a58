; Evaluation points.

; model.eval() switches.
(call
  function: (attribute attribute: (identifier) @_m)
  (#eq? @_m "eval")
  arguments: (argument_list)) @call.eval_mode

; with torch.no_grad(): / torch.inference_mode(): blocks, and the decorator forms.
(with_statement
  (with_clause (with_item value: (call function: (_) @_f)))
  (#match? @_f "(^|\\.)(no_grad|inference_mode)$")) @block.no_grad

(decorator
  [(call function: (_) @_f) (attribute) @_f]
  (#match? @_f "(^|\\.)(no_grad|inference_mode)$")) @decorator.no_grad

; trainer.evaluate() / trainer.validate() / trainer.test() / model.evaluate().
(call
  function: (attribute object: (_) @eval.receiver attribute: (identifier) @_m)
  (#any-of? @_m "evaluate" "validate" "test")) @call.framework_eval
