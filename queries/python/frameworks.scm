; Framework evidence beyond imports: the objects a framework script constructs and the
; base classes it extends.
(call
  function: [(identifier) @framework.constructor_name (attribute attribute: (identifier) @framework.constructor_name)]
  (#any-of? @framework.constructor_name
    "Trainer" "Seq2SeqTrainer" "SFTTrainer" "TrainingArguments" "Seq2SeqTrainingArguments"
    "Accelerator" "Fabric" "LightningCLI" "Sequential" "Model" "GradientTape")) @framework.constructor

(class_definition
  superclasses: (argument_list [(identifier) (attribute)] @framework.base_class))
