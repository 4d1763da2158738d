import type { EmergencyRule, OfficeHours, RoutingRule } from '../../../connectors/messaging/inbound-routing.js';
import type { EmergencyReplies } from '../../../connectors/messaging/emergency-reply.js';
import type { Queue } from '../../../connectors/messaging/inbound-routing.js';
import type { TriageLexicon } from '../../../connectors/messaging/triage-lexicon.js';
import type { GovernedTemplate, TemplateChannel } from '../../../connectors/messaging/template-select.js';
import type { Environment } from '../../governance/environment.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { currentSetting, stopState } from '../governance/reads.js';
import { assertEhrRunning } from '../ehr-stop-guard.js';

// The governed settings messaging obeys, read fresh for every message from the gateway's environment: a change
// approved a second ago applies to the next message, with no cache to invalidate. The values were validated by
// the setting's schema when they were set (src/governance/setting-values.ts), so they are read as their types.

export interface MessagingRules {
  readonly routing: readonly RoutingRule[];
  readonly emergency: readonly EmergencyRule[];
  readonly officeHours: OfficeHours;
  readonly lexicon: TriageLexicon;
}

export interface MessagingSettings {
  readonly templates: Readonly<Record<string, GovernedTemplate>>;
  readonly channels: readonly TemplateChannel[];
  readonly stopped: boolean;
}

export interface QueueSettings {
  readonly sla: Readonly<Record<Queue, number>>;
  readonly roster: readonly { readonly name: string; readonly email: string }[];
}

export class MessagingSettingsReader {
  constructor(private readonly governance: GovernanceDeps, readonly environment: Environment) {}

  async forSending(tenant: string): Promise<MessagingSettings> {
    const [templates, channels, stop] = await Promise.all([
      currentSetting(this.governance, tenant, 'messaging.templates', this.environment),
      currentSetting(this.governance, tenant, 'messaging.channels', this.environment),
      stopState(this.governance, tenant, this.environment, 'automation:messaging'),
    ]);
    return {
      templates: templates.value as unknown as Record<string, GovernedTemplate>,
      channels: channels.value as unknown as TemplateChannel[],
      stopped: stop.value.stopped,
    };
  }

  /**
   * Throws CONFLICT STOPPED while `connector:ehr` is stopped: every message is recorded as a Communication in the EHR
   * after it goes out, and that write would be refused, so nothing may go out (ehr-stop-guard.ts, the writers' check).
   */
  assertEhrRunning(tenant: string): Promise<void> {
    return assertEhrRunning(this.governance.store, tenant, this.environment);
  }

  async emergencyReplies(tenant: string): Promise<EmergencyReplies> {
    return (await currentSetting(this.governance, tenant, 'messaging.emergencyReplies', this.environment))
      .value as unknown as EmergencyReplies;
  }

  async queues(tenant: string): Promise<QueueSettings> {
    const [sla, roster] = await Promise.all([
      currentSetting(this.governance, tenant, 'messaging.queueSla', this.environment),
      currentSetting(this.governance, tenant, 'messaging.onCallRoster', this.environment),
    ]);
    return { sla: sla.value as unknown as QueueSettings['sla'], roster: roster.value as unknown as QueueSettings['roster'] };
  }

  async routingRules(tenant: string): Promise<MessagingRules> {
    const [routing, emergency, officeHours, lexicon] = await Promise.all([
      currentSetting(this.governance, tenant, 'messaging.routingRules', this.environment),
      currentSetting(this.governance, tenant, 'messaging.emergencyEscalationRules', this.environment),
      currentSetting(this.governance, tenant, 'messaging.officeHours', this.environment),
      currentSetting(this.governance, tenant, 'messaging.triageLexicon', this.environment),
    ]);
    return {
      routing: routing.value as unknown as RoutingRule[],
      emergency: emergency.value as unknown as EmergencyRule[],
      officeHours: officeHours.value as unknown as OfficeHours,
      lexicon: lexicon.value as unknown as TriageLexicon,
    };
  }
}
