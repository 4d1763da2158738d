import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  routeInbound,
  type EmergencyRule,
  type OfficeHours,
  type Queue,
  type RouteDecision,
  type RoutingRule,
} from '../connectors/messaging/inbound-routing.js';
import type { TriageLexicon } from '../connectors/messaging/triage-lexicon.js';
import { findSetting } from '../src/governance/setting-catalog.js';

// `npm run triage:eval [file]`: runs the labelled evaluation set (fixtures/triage/eval-set.json, or the given file of
// the same shape) through routeInbound with the shipped default settings and prints recall on emergencies, the
// false-alarm rate (non-emergencies paged to on-call), the confusion table, and every miss with its explanation.

export type Label = 'emergency' | 'clinical' | 'billing' | 'admin';
export interface LabelledMessage {
  readonly text: string;
  readonly lang: string;
  readonly label: Label;
}

export const LABELS: readonly Label[] = ['emergency', 'clinical', 'billing', 'admin'];
export const QUEUE_ORDER: readonly Queue[] = ['on-call', 'nurse-triage', 'billing', 'front-desk'];
const EXPECTED: Readonly<Record<Label, Queue>> = {
  emergency: 'on-call',
  clinical: 'nurse-triage',
  billing: 'billing',
  admin: 'front-desk',
};

export const EVAL_SET_PATH = fileURLToPath(new URL('../fixtures/triage/eval-set.json', import.meta.url));

export function defaultRoutingInput() {
  const value = <T>(key: string) => findSetting(key)!.defaultValue as unknown as T;
  return {
    routing: value<RoutingRule[]>('messaging.routingRules'),
    emergency: value<EmergencyRule[]>('messaging.emergencyEscalationRules'),
    officeHours: value<OfficeHours>('messaging.officeHours'),
    lexicon: value<TriageLexicon>('messaging.triageLexicon'),
  };
}

export interface Evaluation {
  readonly total: number;
  readonly recall: number;
  readonly falseAlarmRate: number;
  readonly confusion: Readonly<Record<Label, Readonly<Record<Queue, number>>>>;
  readonly missedEmergencies: readonly { text: string; decision: RouteDecision }[];
  readonly falseAlarms: readonly { text: string; decision: RouteDecision }[];
  readonly misrouted: readonly { text: string; label: Label; decision: RouteDecision }[];
}

export function evaluate(set: readonly LabelledMessage[], input = defaultRoutingInput()): Evaluation {
  const at = new Date('2026-03-10T14:00:00Z');
  const confusion = Object.fromEntries(LABELS.map((l) => [l, Object.fromEntries(QUEUE_ORDER.map((q) => [q, 0]))])) as Record<
    Label,
    Record<Queue, number>
  >;
  const missedEmergencies: Evaluation['missedEmergencies'][number][] = [];
  const falseAlarms: Evaluation['falseAlarms'][number][] = [];
  const misrouted: Evaluation['misrouted'][number][] = [];
  for (const m of set) {
    const decision = routeInbound(m.text, input, { at, language: m.lang });
    confusion[m.label][decision.queue] += 1;
    if (m.label === 'emergency' && decision.queue !== 'on-call') missedEmergencies.push({ text: m.text, decision });
    if (m.label !== 'emergency' && decision.queue === 'on-call') falseAlarms.push({ text: m.text, decision });
    if (decision.queue !== EXPECTED[m.label]) misrouted.push({ text: m.text, label: m.label, decision });
  }
  const emergencies = set.filter((m) => m.label === 'emergency').length;
  const others = set.length - emergencies;
  return {
    total: set.length,
    recall: emergencies === 0 ? 1 : (emergencies - missedEmergencies.length) / emergencies,
    falseAlarmRate: others === 0 ? 0 : falseAlarms.length / others,
    confusion,
    missedEmergencies,
    falseAlarms,
    misrouted,
  };
}

export const loadSet = (path: string): LabelledMessage[] => JSON.parse(readFileSync(path, 'utf8')) as LabelledMessage[];

export function report(e: Evaluation): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const width = 14;
  const row = (cells: readonly string[]) => cells.map((c) => c.padEnd(width)).join('');
  const lines = [
    `messages: ${e.total}`,
    `emergency recall: ${pct(e.recall)} (${e.missedEmergencies.length} missed)`,
    `false alarms (non-emergency paged to on-call): ${pct(e.falseAlarmRate)} (${e.falseAlarms.length})`,
    '',
    'confusion (rows: label, columns: queue)',
    row(['', ...QUEUE_ORDER]),
    ...LABELS.map((l) => row([l, ...QUEUE_ORDER.map((q) => String(e.confusion[l][q]))])),
  ];
  const explain = (title: string, xs: readonly { text: string; decision: RouteDecision }[]) =>
    xs.length === 0
      ? []
      : [
          '',
          title,
          ...xs.map((x) => `  ${x.decision.queue.padEnd(13)} ${JSON.stringify(x.text)}\n                ${x.decision.triage.explanation}`),
        ];
  lines.push(...explain('missed emergencies', e.missedEmergencies), ...explain('false alarms', e.falseAlarms));
  lines.push(...explain('other misroutes', e.misrouted.filter((m) => m.label !== 'emergency' && m.decision.queue !== 'on-call')));
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const e = evaluate(loadSet(process.argv[2] ?? EVAL_SET_PATH));
  console.log(report(e));
  process.exitCode = e.recall === 1 && e.falseAlarmRate <= 0.05 ? 0 : 1;
}
