/**
 * Finishing the wandb run when the script ends, for runs no try/finally can enclose: a
 * module-level script (its last `wandb.log` may follow the loop, inside or after a
 * `try: … except KeyboardInterrupt:`) and a process started by `mp.spawn`.
 *
 * Registered once, right after `wandb.init`, so it runs after the script's last logging
 * statement whatever that is. `atexit` covers the normal end, `sys.exit` and uncaught exceptions
 * (Ctrl-C included, whether or not the script catches it); SIGTERM, which ends Python without
 * running atexit, is turned into SystemExit unless the script installed its own handler.
 * Real wandb takes the exit code from its own exit hooks, so a crashed run is still marked failed.
 */

export const FINISH_AT_EXIT = '_expkit_finish_wandb_at_exit';

export function finishAtExitHelper(): string[] {
  return [
    `def ${FINISH_AT_EXIT}():`,
    '    """Finish the wandb run however the script ends: normally, on an exception, Ctrl-C or SIGTERM (added by expkit)."""',
    '    import atexit',
    '    import signal',
    '    import sys',
    '',
    '    def finish():',
    '        import wandb',
    '',
    '        if wandb.run is not None:',
    '            wandb.finish()',
    '',
    '    atexit.register(finish)',
    '    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:',
    '        try:',
    '            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))',
    '        except ValueError:  # not the main thread, where only the main thread may handle signals',
    '            pass',
  ];
}
