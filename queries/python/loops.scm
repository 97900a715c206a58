; Step markers: what a training loop does every iteration.

; A backward pass on any tensor expression, and the framework wrappers:
; loss.backward(), scaler.scale(loss).backward(), accelerator.backward(loss),
; fabric.backward(loss), self.manual_backward(loss).
(call
  function: (attribute attribute: (identifier) @_m)
  (#any-of? @_m "backward" "manual_backward")) @call.backward

; TensorFlow/Keras custom loops: tape.gradient(loss, vars) is the backward pass.
(call
  function: (attribute object: (identifier) @_o attribute: (identifier) @_m)
  (#eq? @_m "gradient") (#match? @_o "tape")) @call.backward

; X.step(...): an optimizer step when X is an optimizer or a grad scaler (decided from the
; receiver's name and binding), not scheduler.step() or env.step(action).
(call
  function: (attribute object: (_) @step.receiver attribute: (identifier) @_m)
  (#eq? @_m "step")) @call.step

(call
  function: (attribute attribute: (identifier) @_m)
  (#eq? @_m "apply_gradients")) @call.apply_gradients

; Framework training calls: trainer.train() (HF), trainer.fit(...) (Lightning), model.fit(...) (Keras).
(call
  function: (attribute object: (_) @fit.receiver attribute: (identifier) @_m)
  (#any-of? @_m "train" "fit")) @call.train
