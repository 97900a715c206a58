; Import statements anywhere in the file. The analyzer reads the module names from the
; statement's fields and decides which ones form the top-of-file import block.
(import_statement) @import.statement
(import_from_statement) @import.statement
(future_import_statement) @import.statement
