import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStores } from '../../src/stores/create-store.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { RedisServer } from '../support/redis-server.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { findChangeRequest, settingHistory } from '../../src/services/governance/reads.js';

const run = promisify(execFile);
const SCRIPT = new URL('./fixtures/approver-process.ts', import.meta.url).pathname;

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await RedisServer.start();
  redis = server.client();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

function gatewayProcess(changeId: string, prefix: string, count: number, roles: string): Promise<string[]> {
  return run(process.execPath, ['--import', 'tsx', SCRIPT, server.url, 'acme', changeId, prefix, String(count), roles], {
    timeout: 60_000,
  }).then(({ stdout }) => JSON.parse(stdout) as string[]);
}

describe('50 concurrent approvals from two gateway processes sharing one Redis', () => {
  it.each([
    [
      'atomic apply (refund threshold)',
      'billing.refundThreshold',
      { amount: 250, currency: 'USD' },
      'billing-manager',
      ['billing-manager', 'security-admin'],
    ],
    [
      'outbox apply (EHR write-back)',
      'integration.ehr.writeBackEnabled',
      true,
      'integration-engineer',
      ['integration-engineer', 'security-admin'],
    ],
  ] as const)(
    '%s: exactly one apply and one version increment',
    async (_name, key, value, requesterRole, approverRoles) => {
      const storeStores = redisStores(server.client());
      const store = storeStores.governance;
      const svc = governanceOn(store);
      const proposed = await updateSetting(svc, person('requester', [requesterRole]), {
        key,
        environment: 'PRODUCTION',
        value,
        reason: 'race test',
      });
      expect(proposed.status).toBe('PENDING_APPROVAL');
      const id = proposed.change.id;
      // 25 approvers of each function per process: 50 in all, every one eligible on its own.
      const runs = Promise.all([
        gatewayProcess(id, 'p1-owner', 13, approverRoles[0]),
        gatewayProcess(id, 'p1-sec', 12, approverRoles[1]),
        gatewayProcess(id, 'p2-owner', 12, approverRoles[0]),
        gatewayProcess(id, 'p2-sec', 13, approverRoles[1]),
      ]);
      await new Promise((r) => setTimeout(r, 1500));
      await redis.set(`test:go:${id}`, '1');
      const results = (await runs).flat();
      expect(results).toHaveLength(50);
      expect(results.filter((r) => r === 'ok:APPLIED')).toHaveLength(1);
      // Everyone else was told why: already decided, or their function was no longer needed.
      expect(
        results.filter((r) => r.startsWith('err:')).every((r) => ['err:NOT_PENDING', 'err:SAME_FUNCTION', 'err:NOT_APPROVED'].includes(r)),
      ).toBe(true);
      const final = await findChangeRequest(svc, person('x', ['security-admin']), id);
      expect(final).toMatchObject({ status: 'APPLIED', appliedVersion: 1 });
      expect(final?.approvals).toHaveLength(2);
      const history = await settingHistory(svc, 'acme', key, 'PRODUCTION');
      expect(history.map((h) => [h.version, h.changeId])).toEqual([[1, id]]);
      if (key.startsWith('integration.')) expect(await redis.get(`test:effects:${id}:apply`)).toBe('1');
      await storeStores.close();
    },
    90_000,
  );
});
