/** Merging expkit's values into a script's own list setting when only run time knows its value. */
import { pyFunction } from './definition.js';

/** The script's setting (None, one object or a list) with expkit's items added: callbacks, loggers. */
export const EXTEND = pyFunction('extend', [
  'def _expkit_extend(value, *items):',
  '    """The script\'s own setting (None, one object or a list) with expkit\'s items added (added by expkit)."""',
  '    if value is None or value is False:',
  '        return list(items)',
  '    if isinstance(value, (list, tuple)):',
  '        return [*value, *items]',
  '    return [value, *items]',
]);
