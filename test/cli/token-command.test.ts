import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createKeyGetter } from '../../src/auth/key-source.js';
import type { Principal } from '../../src/auth/principal.js';
import { createTokenVerifier } from '../../src/auth/verify-token.js';
import type { CliIo } from '../../src/cli/cli-command.js';
import { runCli } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/config.js';

const REPO = resolve(import.meta.dirname, '../..');

async function devEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return { CLEARANCE_STATE_DIR: join(await mkdtemp(join(tmpdir(), 'clearance-cli-')), '.clearance'), ...extra };
}

async function run(argv: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Verifies a printed token exactly as the dev server would: same config, same key source. */
async function verifyLikeServer(token: string, env: Record<string, string | undefined>): Promise<Principal> {
  const config = parseConfig(env, []);
  const verifier = createTokenVerifier({ ...config.auth, keys: await createKeyGetter(config) });
  return verifier.verify(`Bearer ${token}`);
}

describe('clearance token (in process)', () => {
  it('prints only a token the dev server accepts, with every option mapped', async () => {
    const env = await devEnv();
    const { code, stdout, stderr } = await run(
      [
        'token', '--role', 'clinician', '--role', 'auditor', '--tenant', 'acme', '--dept', 'cardiology', '--dept', 'oncology',
        '--mfa', '--sub', 'dr-grey', '--kind', 'user', '--scope', 'patient/*.rs user/Practitioner.r', '--grant', 'sensitive',
        '--ttl', '600',
      ],
      env,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verifyLikeServer(stdout.trim(), env)).toEqual({
      sub: 'dr-grey',
      tenant: 'acme',
      kind: 'user',
      roles: ['clinician', 'auditor'],
      departments: ['cardiology', 'oncology'],
      mfa: true,
      scopes: ['patient/*.rs', 'user/Practitioner.r'],
      grants: ['sensitive'],
      authTime: expect.any(Number),
    });
  });

  it('defaults sub to <role>-<tenant>@dev, no MFA, kind user', async () => {
    const env = await devEnv();
    const { stdout } = await run(['token', '--role', 'nurse', '--tenant', 'acme'], env);
    expect(await verifyLikeServer(stdout.trim(), env)).toMatchObject({ sub: 'nurse-acme@dev', mfa: false, kind: 'user', scopes: null });
  });

  it('mints agent tokens', async () => {
    const env = await devEnv();
    const { stdout } = await run(['token', '--role', 'ai-agent', '--tenant', 'acme', '--kind', 'agent'], env);
    expect((await verifyLikeServer(stdout.trim(), env)).kind).toBe('agent');
  });

  it.each([
    [['token', '--tenant', 'acme'], /at least one --role/],
    [['token', '--role', 'nurse'], /--tenant is required/],
    [['token', '--role', 'nurse', '--tenant', 'Acme Corp'], /--tenant must match/],
    [['token', '--role', 'nurse', '--tenant', 'acme', '--kind', 'robot'], /--kind must be one of/],
    [['token', '--role', 'nurse', '--tenant', 'acme', '--ttl', '-5'], /--ttl/],
    [['token', '--role', 'nurse', '--tenant', 'acme', '--ttl', '1.5'], /--ttl must be/],
    [['token', '--role', 'nurse', '--tenant', 'acme', '--bogus'], /Unknown option '--bogus'/],
    [['token', '--role', 'nurse', '--tenant', 'acme', 'extra'], /positional/],
    [['token', '--role', '', '--tenant', 'acme'], /--role must not be empty/],
    [['token', '--role'], /argument missing/],
  ])('usage error %j -> exit 2 with usage', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv, await devEnv());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: clearance token');
  });

  it('--help prints usage and exits 0', async () => {
    const { code, stdout } = await run(['token', '--help'], await devEnv());
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: clearance token');
  });

  it('refuses in production mode (NODE_ENV or --production), exit 1', async () => {
    for (const [argv, env] of [
      [['token', '--role', 'nurse', '--tenant', 'acme'], await devEnv({ NODE_ENV: 'production' })],
      [['token', '--role', 'nurse', '--tenant', 'acme', '--production'], await devEnv()],
    ] as const) {
      const { code, stdout, stderr } = await run([...argv], env);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/refused in production mode/);
    }
  });

  it('refuses when the server would verify with a JWKS instead of the dev key', async () => {
    const { code, stderr } = await run(['token', '--role', 'nurse', '--tenant', 'acme'], await devEnv({ JWKS_FILE: 'jwks.json' }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/JWKS_URL or JWKS_FILE is set/);
  });

  it('reports invalid config as config problems, exit 1', async () => {
    const { code, stderr } = await run(['token', '--role', 'nurse', '--tenant', 'acme'], await devEnv({ PORT: 'x' }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT: must be an integer/);
  });
});

describe('clearance (dispatcher)', () => {
  it('no command -> overview on stderr, exit 2; --help -> stdout, exit 0; unknown -> exit 2', async () => {
    const none = await run([], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('token');
    const help = await run(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n\s+token/);
    const unknown = await run(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});

describe('bin/clearance.mjs (real process)', () => {
  it('node bin/clearance.mjs token ... prints a token the dev server accepts', async () => {
    const env = await devEnv();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(REPO, 'bin/clearance.mjs'), 'token', '--role', 'billing-manager', '--tenant', 'beta-clinic', '--mfa'],
      { cwd: REPO, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
    );
    expect(await verifyLikeServer(stdout.trim(), env)).toMatchObject({
      sub: 'billing-manager-beta-clinic@dev',
      tenant: 'beta-clinic',
      roles: ['billing-manager'],
      mfa: true,
    });
  });

  it('exits 2 on a usage error', async () => {
    const result = await promisify(execFile)(process.execPath, [join(REPO, 'bin/clearance.mjs'), 'token'], {
      cwd: REPO,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(await devEnv()) },
    }).catch((e: unknown) => e as { code: number; stderr: string });
    expect(result).toMatchObject({ code: 2 });
    expect((result as { stderr: string }).stderr).toContain('--role');
  });
});
