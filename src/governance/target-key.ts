import type { ChangeTarget } from './change-target.js';

// What names a change's target to a client, beside its type (ChangeRequest.targetKey): the setting key, the keys of
// a compound change (comma-separated, in the order they apply), the stopped target of a resume, the person of an
// assignment or access request, the draft of an EHR write, the refund. Never a store's document id: how a store
// keys its documents is its own business.

export function targetKeyOf(target: ChangeTarget): string {
  switch (target.type) {
    case 'setting':
      return target.key;
    case 'settings':
      return target.entries.map((e) => e.key).join(',');
    case 'emergency-resume':
      return target.target;
    case 'ehr-write':
      return target.draftId;
    case 'refund':
      return target.refundId;
    case 'assignment':
    case 'access-request':
      return target.sub;
    case 'policy':
      return 'policy';
  }
}
