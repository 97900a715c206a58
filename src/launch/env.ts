/** Environment handling for run records: secrets never reach a file. */

const SECRET_RE = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

export function isSecretName(name: string): boolean {
  return SECRET_RE.test(name);
}

/** The `WANDB_*` settings worth recording, without secrets. */
export function wandbSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('WANDB_') && !isSecretName(k) && v !== undefined) out[k] = v;
  }
  return out;
}
