; Every call, captured by the name it calls: `name(...)` and `receiver.method(...)`.
; The finders choose the names they care about (backward, step, add_argument, save, ...) by
; reading these identifiers' text. Text predicates (#eq?, #any-of?) are not used on calls on purpose:
; the bindings evaluate them in JavaScript once per candidate match, which costs more than the parse.
(call function: (identifier) @call.name)
(call function: (attribute attribute: (identifier) @call.method))
