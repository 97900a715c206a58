/** `expkit agent-skill --install DIR`: writes DIR/expkit/SKILL.md, never replaces a different one without --force. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

describe('expkit agent-skill --install', () => {
  test('installs, is idempotent, refuses a different file (exit 3, kept), --force keeps it as .bak', async () => {
    const dir = join(tempDir('expkit-skill-'), 'skills');
    const skill = (await runCli(['agent-skill'])).stdout;
    const path = join(dir, 'expkit', 'SKILL.md');

    const first = await runCli(['agent-skill', '--install', dir, '--json']);
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ action: 'written', backup: null });
    expect(readFileSync(path, 'utf8')).toBe(skill);
    expect(JSON.parse((await runCli(['agent-skill', '--install', dir, '--json'])).stdout).action).toBe('unchanged');

    writeFileSync(path, 'my own notes\n');
    const refused = await runCli(['agent-skill', '--install', dir]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr.split('\n')[0]).toMatch(/^expkit: .*SKILL\.md exists and differs .*nothing written$/);
    expect(readFileSync(path, 'utf8')).toBe('my own notes\n');

    const forced = await runCli(['agent-skill', '--install', dir, '--force', '--json']);
    expect(forced.exitCode).toBe(0);
    expect(JSON.parse(forced.stdout).action).toBe('replaced');
    expect(readFileSync(path, 'utf8')).toBe(skill);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('my own notes\n');
    expect(existsSync(`${path}.bak.1`)).toBe(false);
  });
});
