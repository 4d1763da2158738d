import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRANKIE } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { APPROVE, ok, SET_WRITE_BACK, UPDATE_SETTING, type Change, type ChangeResult } from './governance-operations.js';

// Notes written through writeBackNote whose free text names a sensitive class (an HIV medicine, HIV spelled with
// dots, alcohol use, an ICD-10 code of a sensitive category, a sexually transmitted infection, intimate partner
// violence, an abortion; however the words are typed or encoded) are withheld whole from every reader without the
// sensitive grant, an AI agent and a clinician of the patient's own department alike; a clinician with the grant
// reads them. End to end over HTTP, against the embedded FHIR server.

const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id } }`;
const NOTES = `query($id: ID!) { patient(id: $id) { notes { id title text } } }`;

/** [title, text]: the tester's four notes, more of each class, and the ones withheld before. */
const SENSITIVE_NOTES: readonly (readonly [string, string])[] = [
  ['Progress note', 'Patient started on Truvada PrEP'],
  ['Progress note', 'H.I.V. status discussed'],
  ['Progress note', 'Referred to AA meetings for drinking'],
  ['Progress note', 'Dx: F32.9'],
  ['Progress note', 'Switched to Biktarvy, tolerating well'],
  ['Progress note', 'Cabotegravir injection given'],
  ['Progress note', 'Assessment: F10.20, counselled'],
  ['Progress note', 'Says he relapsed on heroin last week'],
  ['Progress note', 'Binge drinking on weekends'],
  ['Progress note', 'Reports suicidal ideation'],
  ['Progress note', 'Continue Suboxone'],
  ['HIV follow-up', 'Doing well.'],
  ['Descovy refill', 'Sent to pharmacy.'],
  // Disguised (encoded, invisible characters, look-alike letters, accents, line breaks) and the terms added after.
  ['Progress note', 'Tru\u200Bvada refilled'],
  ['Progress note', 'Assessment: &#72;IV, stable'],
  ['Progress note', '\u041D\u0406V follow-up'],
  ['Progress note', 'Consumo de heroína, referido a Alcohólicos Anónimos'],
  ['Progress note', 'History of human immunodeficiency\nvirus'],
  ['Progress note', 'PLWH, CD4 count 420'],
  ['Progress note', 'OUD, ETOH abuse; attends N.A. meetings'],
  ['Progress note', 'MDD; SI with plan, safety plan made'],
  ['Progress note', "Smokes crack; OD'd in May"],
  // Sexually transmitted infections, sexual and domestic violence, induced abortion.
  ['Progress note', 'Treated for chlamydia and gonorrhea'],
  ['Progress note', 'Discloses intimate partner violence'],
  ['Progress note', 'Elective abortion in 2021'],
];
const PLAIN_NOTE = [
  'Follow-up',
  'BP 128/82, stable. Encouraged drinking water; AA batteries for the glucometer. Art therapy, meal prep; ' +
    'no alcoholic beverages; cancer relapse ruled out; Narcan at home; HBV viral load pending; herpes zoster resolved.',
] as const;

let h: Harness;
const written = { sensitive: [] as string[], plain: '' };
const tokens: Record<string, string> = {};

async function enableWriteBack(): Promise<void> {
  const eng1 = await h.token({ sub: 'eng-1', roles: ['integration-engineer'] });
  const eng2 = await h.token({ sub: 'eng-2', roles: ['integration-engineer'] });
  const scopes = ok<{ updateSetting: ChangeResult }>(
    await h.gql(eng1, UPDATE_SETTING, {
      input: { key: 'integration.ehr.scopes', environment: 'STAGING', reason: 'write-back', value: ['system/DocumentReference.cru'] },
    }),
  );
  expect(scopes.updateSetting.status).toBe('APPLIED');
  const proposed = ok<{ setWriteBack: ChangeResult }>(
    await h.gql(eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'STAGING', enabled: true, reason: 'go-live' }),
  );
  const approved = ok<{ approveChange: Change }>(await h.gql(eng2, APPROVE, { id: proposed.setWriteBack.changeRequest.id }));
  expect(approved.approveChange.status).toBe('APPLIED');
}

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  await enableWriteBack();
  // FRANKIE is a primary-care patient; the author is a primary-care clinician.
  tokens.author = await h.token({ sub: 'dr-park', roles: ['clinician'], departments: ['primary-care'] });
  tokens.agent = await h.token({ sub: 'notes-bot', roles: ['ai-agent'], departments: ['primary-care'], kind: 'agent' } as never);
  tokens.clinician = await h.token({ sub: 'dr-nogrant', roles: ['clinician'], departments: ['primary-care'] });
  tokens.granted = await h.token({ sub: 'dr-grant', roles: ['clinician'], departments: ['primary-care'], grants: ['sensitive'] });
  tokens.agentWithGrant = await h.token({
    sub: 'notes-bot-2', roles: ['ai-agent'], departments: ['primary-care'], grants: ['sensitive'], kind: 'agent',
  } as never);
  for (const [i, [title, text]] of SENSITIVE_NOTES.entries()) {
    const r = ok<{ writeBackNote: { id: string } }>(
      await h.gql(tokens.author!, NOTE, { p: FRANKIE, i: { idempotencyKey: `sens-note-${i}`, title, text } }),
    );
    written.sensitive.push(r.writeBackNote.id);
  }
  written.plain = ok<{ writeBackNote: { id: string } }>(
    await h.gql(tokens.author!, NOTE, { p: FRANKIE, i: { idempotencyKey: 'plain-note', title: PLAIN_NOTE[0], text: PLAIN_NOTE[1] } }),
  ).writeBackNote.id;
}, 60_000);
afterAll(() => h?.stop());

type Notes = { patient: { notes: { id: string; title: string | null; text: string | null }[] | null } };

describe('notes naming a sensitive class, written with writeBackNote', () => {
  it.each(['agent', 'clinician', 'agentWithGrant'])('%s without a usable sensitive grant: none of them, one error', async (who) => {
    const r = await h.gql<Notes>(tokens[who]!, NOTES, { id: FRANKIE });
    const notes = r.body.data!.patient.notes!;
    expect(notes.map((n) => n.id)).toContain(written.plain);
    expect(notes.find((n) => n.id === written.plain)).toMatchObject({ title: PLAIN_NOTE[0], text: PLAIN_NOTE[1] });
    const body = JSON.stringify(r.body);
    for (const id of written.sensitive) expect(body, id).not.toContain(id);
    for (const [title, text] of SENSITIVE_NOTES) {
      expect(body, text).not.toContain(text);
      if (title !== 'Progress note') expect(body, title).not.toContain(title);
    }
    const withheld = (r.body.errors ?? []).filter((e) => e.extensions?.withheld === true);
    expect(withheld).toHaveLength(1);
    expect(withheld[0]).toMatchObject({
      path: ['patient', 'notes'],
      extensions: { code: 'FORBIDDEN', failedScope: 'grant', grant: 'sensitive' },
    });
  });

  it('a clinician of the department with the grant reads every one of them', async () => {
    const r = await h.gql<Notes>(tokens.granted!, NOTES, { id: FRANKIE });
    expect(r.body.errors).toBeUndefined();
    const notes = r.body.data!.patient.notes!;
    for (const [i, [title, text]] of SENSITIVE_NOTES.entries())
      expect(notes.find((n) => n.id === written.sensitive[i]), text).toMatchObject({ title, text });
  });
});
