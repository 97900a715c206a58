/**
 * "A loss-like key followed by a non-finite value", as one extended regular expression that means
 * the same in JavaScript and in `grep -E -i` (the run's wrapper watches the log with grep, so
 * `--stop-on nan` and `status` agree line for line). Hence no lookarounds, no `\s`/`\w`, no
 * POSIX classes: explicit bracket sets only. Pure.
 *
 * Formats it covers (each is a test case): `loss: nan`, `loss=nan`, `epoch 1 loss nan`,
 * `train_loss nan`, `step 10 | loss nan`, `val_loss=inf`, `-inf`, `Loss: tensor(nan, …)`,
 * `tensor([nan])`, numpy `array(nan)` / `np.float32(nan)`, JAX `Array(nan, dtype=float32)`,
 * HF Trainer dicts `{'loss': nan, …}`, Keras `- loss: nan - …`, Lightning/tqdm postfixes
 * `loss=nan, v_num=0`, the scaffold's `train_loss nan`, and Keras' TerminateOnNaN line.
 */

/** Characters of a metric key: `train/loss`, `frame_0_d0.loss_cls`, `lossAverage`. */
const KEY_CHAR = 'A-Za-z0-9_./';
/** A key that contains "loss", starting at a key boundary. */
const KEY = `(^|[^${KEY_CHAR}])[${KEY_CHAR}]*loss[${KEY_CHAR}]*`;
/** A closing quote (dict reprs), then `:`/`=`/`|`, or plain spaces, or ` is `. */
const SEPARATOR = `['"]?([ \\t]*[:=|][ \\t]*|[ \\t]+(is[ \\t]+)?)`;
/** Wrappers printed around a scalar: torch tensor, numpy array/scalar, JAX Array, a list. */
const WRAPPER = `((tensor|array|np\\.float(16|32|64)|numpy\\.float(16|32|64)|float(16|32|64))\\([ \\t]*)?(\\[[ \\t]*)?`;
/** nan/inf/infinity, not the start of a longer word (`nanoGPT`, `nan_count`, `info`). */
const NON_FINITE = `[-+]?(nan|inf|infinity)([^A-Za-z0-9_.]|\\.[^0-9]|\\.?$)`;

export const NON_FINITE_LOSS_ERE = `${KEY}${SEPARATOR}${WRAPPER}${NON_FINITE}|invalid loss, terminating training`;

const NON_FINITE_LOSS_RE = new RegExp(NON_FINITE_LOSS_ERE, 'i');

/** Whether one log line reports a non-finite loss. */
export function isNonFiniteLossLine(line: string): boolean {
  return NON_FINITE_LOSS_RE.test(line);
}
