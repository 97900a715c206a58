; `with` blocks: `with torch.no_grad():` / `with torch.inference_mode():` mark evaluation
; (the analyzer reads the context manager and skips weight initialisation).
(with_statement) @block.with
