; Functions and classes: scopes for loops, the entry function, eval functions, helper parsers.
(function_definition) @definition.function
(class_definition) @definition.class

; Decorators: @click.command/@click.option, @hydra.main, @torch.no_grad().
(decorator) @definition.decorator


; Loops: scopes for step markers (the training loop is the loop around them).
(for_statement) @definition.loop
(while_statement) @definition.loop
