; What is already instrumented: tracking, seeding, checkpointing.

; wandb: any wandb.* call, the framework integrations, report_to=/log_with= "wandb".
(call function: (attribute object: (identifier) @_o) (#eq? @_o "wandb")) @existing.wandb
(call
  function: [(identifier) @_f (attribute attribute: (identifier) @_f)]
  (#any-of? @_f "WandbLogger" "WandbMetricsLogger" "WandbModelCheckpoint" "WandbCallback" "WandbEvalCallback")) @existing.wandb
(keyword_argument
  name: (identifier) @_k
  value: (_) @existing.tracker_value
  (#any-of? @_k "report_to" "log_with")) @existing.tracker_keyword

; Seeding.
(call
  function: [(identifier) @_f (attribute attribute: (identifier) @_f)]
  (#any-of? @_f "manual_seed" "manual_seed_all" "set_seed" "seed_everything" "set_random_seed")) @existing.seed
(call
  function: (attribute object: (_) @_o attribute: (identifier) @_m)
  (#eq? @_m "seed")
  (#match? @_o "^(random|np\\.random|numpy\\.random|tf\\.random|jax\\.random)$")) @existing.seed
(keyword_argument name: (identifier) @_k (#any-of? @_k "seed" "seed_everything_default")) @existing.seed

; Checkpointing.
(call
  function: [(identifier) @_f (attribute attribute: (identifier) @_f)]
  (#any-of? @_f "save_pretrained" "save_model" "save_state" "save_checkpoint" "ModelCheckpoint" "BackupAndRestore" "save_weights")) @existing.checkpoint
; X.save(...): torch.save, model.save, fabric.save, accelerator.save (decided from the receiver).
(call
  function: (attribute object: (_) @save.receiver attribute: (identifier) @_m)
  (#eq? @_m "save")) @existing.save
