; Distributed training: process groups, DDP, spawners, accelerate/Fabric, rank logic.
(call
  function: [(identifier) @_f (attribute attribute: (identifier) @_f)]
  (#any-of? @_f
    "init_process_group" "destroy_process_group" "DistributedDataParallel" "DDP"
    "DistributedSampler" "Accelerator" "Fabric" "get_rank" "get_world_size" "barrier"
    "all_reduce" "is_initialized")) @distributed.call

(call
  function: (attribute object: (_) @_o attribute: (identifier) @_m)
  (#eq? @_m "spawn") (#match? @_o "^(mp|torch\\.multiprocessing|multiprocessing)$")) @distributed.call

; Environment variables set by torchrun and SLURM.
(string
  (string_content) @_s
  (#match? @_s "^(WORLD_SIZE|RANK|LOCAL_RANK|LOCAL_WORLD_SIZE|SLURM_PROCID|SLURM_LOCALID|MASTER_ADDR|MASTER_PORT)$")) @distributed.env

; accelerator.is_main_process, fabric.global_rank, trainer.is_global_zero, args.local_rank.
(attribute
  attribute: (identifier) @_a
  (#any-of? @_a "is_main_process" "is_local_main_process" "global_rank" "is_global_zero" "local_rank")) @distributed.rank
