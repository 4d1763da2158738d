import { escalationCommunication } from '../../../connectors/billing/escalation.js';
import {
  planBillingAutomation,
  type BillingAction,
  type BillingRules,
  type OpenInvoice,
} from '../../../connectors/billing/billing-plan.js';
import type { EhrReader } from '../../../connectors/ehr/ehr-reader.js';
import type { PatientRow, RowGuard } from '../../../connectors/ehr/rows.js';
import type { FhirWriter, WriteTarget } from '../../../connectors/ehr/write/fhir-writer.js';
import type { Principal } from '../../auth/principal.js';
import type { AuditService } from '../audit/audit-service.js';
import { ClearanceError, ConflictError } from '../../errors/errors.js';
import type { Environment } from '../../governance/environment.js';
import type { MessagingService } from '../messaging/messaging-service.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { currentSetting, stopState } from '../governance/reads.js';
import { assertEhrRunning } from '../ehr-stop-guard.js';

// Billing automation with I/O: reads the governed rules of the gateway's environment and every open invoice of the
// tenant (paged patients, invoices batched per page), asks the pure planner what is due, and, unless dry, sends the
// reminders through the messaging connector (template `payment-reminder`) and queues the escalations. Once per
// invoice and step: a reminder's Communication identifier derives from (invoice, day) and is checked before
// sending; an escalation is a conditional create. A stopped `automation:billing` does nothing: CONFLICT STOPPED; so
// does a stopped `connector:ehr` (its reminders and escalations are EHR writes), and every escalation write asks it.

type ActionOutcome = 'PLANNED' | 'SENT' | 'FAILED' | 'QUEUED' | 'ALREADY_DONE' | 'NOT_SENT';
export type ExecutedAction = BillingAction & { readonly outcome: ActionOutcome; readonly detail: string | null };

export interface AutomationRun {
  readonly dryRun: boolean;
  readonly stopped: boolean;
  readonly environment: Environment;
  /** Each with its invoice's row guard: the caller sees (and the audit records) only the rows it may read. */
  readonly actions: readonly (ExecutedAction & { readonly guard: RowGuard })[];
}

export interface BillingAutomationDeps {
  readonly governance: GovernanceDeps;
  readonly writer: FhirWriter;
  readonly messaging: MessagingService;
  readonly audit: AuditService;
  readonly environment: Environment;
  readonly target: (tenant: string) => Promise<WriteTarget>;
  readonly now: () => number;
}

const PAGE = 100;
const MAX_PAGES = 50;

export class BillingAutomation {
  constructor(private readonly deps: BillingAutomationDeps) {}

  async run(actor: Principal, reader: EhrReader, dryRun: boolean, requestId: string | null): Promise<AutomationRun> {
    const env = this.deps.environment;
    const [cadence, escalation, stop] = await Promise.all([
      currentSetting(this.deps.governance, actor.tenant, 'billing.reminderCadenceDays', env),
      currentSetting(this.deps.governance, actor.tenant, 'billing.failedPaymentEscalation', env),
      stopState(this.deps.governance, actor.tenant, env, 'automation:billing'),
    ]);
    const stopped = stop.value.stopped;
    if (stopped && !dryRun)
      throw new ConflictError(
        'STOPPED',
        `Billing automation is stopped in ${env}: nothing was sent or queued. Resuming it (resume target automation:billing) is a ` +
        `governed change.`,
      );
    if (!dryRun) await assertEhrRunning(this.deps.governance.store, actor.tenant, env);
    const rules = { reminderCadenceDays: cadence.value, failedPaymentEscalation: escalation.value } as unknown as BillingRules;
    const { invoices, patients, guards } = await this.openInvoices(reader);
    const plan = planBillingAutomation(invoices, rules, this.deps.now());
    const guarded = (a: ExecutedAction) => ({ ...a, guard: guards.get(a.invoiceId)! });
    if (dryRun) return { dryRun, stopped, environment: env, actions: plan.map((a) => guarded({ ...a, outcome: 'PLANNED', detail: null })) };
    const target = await this.deps.target(actor.tenant);
    const actions: ExecutedAction[] = [];
    for (const action of plan) actions.push(await this.execute(actor, target, patients.get(action.patientId)!, action, requestId));
    await this.audited(actor, requestId, actions);
    return { dryRun, stopped, environment: env, actions: actions.map(guarded) };
  }

  private async openInvoices(
    reader: EhrReader,
  ): Promise<{ invoices: OpenInvoice[]; patients: Map<string, PatientRow>; guards: Map<string, RowGuard> }> {
    const patients = new Map<string, PatientRow>();
    const guards = new Map<string, RowGuard>();
    const invoices: OpenInvoice[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const { rows, hasMore } = await reader.searchPatients({ first: PAGE, offset: page * PAGE });
      const lists = await Promise.all(rows.map((p) => reader.invoices(p)));
      rows.forEach((p, i) => {
        patients.set(p.id, p);
        for (const inv of lists[i] ?? []) {
          guards.set(inv.id, inv.guard);
          invoices.push({
            patientId: p.id,
            accountId: inv.accountId,
            invoiceId: inv.id,
            status: inv.status,
            date: inv.date,
            totalNet: inv.totalNet,
            currency: inv.currency,
            failedPaymentAttempts: inv.failedPaymentAttempts,
          });
        }
      });
      if (!hasMore) break;
    }
    return { invoices, patients, guards };
  }

  private async execute(
    actor: Principal,
    target: WriteTarget,
    patient: PatientRow,
    action: BillingAction,
    requestId: string | null,
  ): Promise<ExecutedAction> {
    const at = new Date(this.deps.now()).toISOString();
    if (action.kind === 'ESCALATION') {
      const key = `escalation-${action.invoiceId}-${action.failedPaymentAttempts}`;
      const written = await this.deps.writer.create(
        target,
        escalationCommunication(action, at),
        key,
        { sub: actor.sub, kind: actor.kind },
        at,
      );
      return { ...action, outcome: written.created ? 'QUEUED' : 'ALREADY_DONE', detail: `Communication/${written.id}` };
    }
    const messageKey = `reminder-${action.invoiceId}-${action.reminderDay}`;
    if ((await this.deps.writer.countByToken(target, 'Communication', messageKey)) > 0)
      return { ...action, outcome: 'ALREADY_DONE', detail: null };
    const variables = { date: action.invoiceDate, amount: `${action.amount.toFixed(2)} ${action.currency}` };
    try {
      const sent = await this.deps.messaging.send(
        actor,
        patient,
        { templateId: 'payment-reminder', channel: null, variables, messageKey },
        requestId,
      );
      return {
        ...action,
        outcome: sent.status === 'SENT' ? 'SENT' : 'FAILED',
        detail: sent.failure ?? `Communication/${sent.communicationId}`,
      };
    } catch (e) {
      // Messaging stopped, no template or no address: this reminder is not sent; the run goes on and says why.
      if (e instanceof ClearanceError) return { ...action, outcome: 'NOT_SENT', detail: e.message };
      throw e;
    }
  }

  private audited(actor: Principal, requestId: string | null, actions: readonly ExecutedAction[]): Promise<void> {
    const count = (o: ActionOutcome) => actions.filter((a) => a.outcome === o).length;
    const at = new Date(this.deps.now()).toISOString();
    return this.deps.audit.write(actor.tenant, [
      {
        category: 'change',
        at,
        tenant: actor.tenant,
        action: 'billing.automation.run',
        outcome: 'success',
        actor: { sub: actor.sub, kind: actor.kind },
        requestId,
        changeId: null,
        environment: this.deps.environment,
        target: 'automation:billing',
        settingCategory: 'billing-automation',
        risk: null,
        status: 'RUN',
        before: null,
        after: null,
        reason: null,
        ticket: null,
        approvals: [],
        detail: {
          sent: count('SENT'),
          failed: count('FAILED'),
          queued: count('QUEUED'),
          alreadyDone: count('ALREADY_DONE'),
          notSent: count('NOT_SENT'),
          invoices: [...new Set(actions.map((a) => a.invoiceId))],
        },
      },
    ]);
  }
}
