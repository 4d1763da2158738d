import { describe, expect, it } from 'vitest';
import { classify, compileLexicon } from '../../../connectors/messaging/triage-classify.js';
import { DEFAULT_TRIAGE_LEXICON } from '../../../src/governance/triage-default-lexicon.js';
import type { TriageLexicon } from '../../../connectors/messaging/triage-lexicon.js';
import { tokenize } from '../../../connectors/messaging/triage-normalize.js';
import { findSetting, validateSettingValue } from '../../../src/governance/setting-catalog.js';

// The triage classifier with the shipped lexicon: one table per emergency concept (English and Spanish, with
// variants), one per negation form, the normalisation steps, and the explanation every decision carries.

const lexicon = compileLexicon(DEFAULT_TRIAGE_LEXICON);
const run = (text: string) => classify(text, lexicon);

const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  'chest-pain': [
    'I have chest pain',
    'my chest hurts so bad',
    'pressure in my chest',
    'it feels like an elephant sitting on my chest',
    'I think this is a heart attack',
    'tengo dolor en el pecho',
    'me duele el pecho',
    'siento opresión en el pecho',
    'creo que es un infarto',
    // Descriptors without the word "chest" (the chest may be in a negated clause before).
    'today it is crushing and goes to my jaw',
    'there is a pressure going to my left arm',
    'a tightness radiating to my jaw',
    'its crushing',
    'hoy siento una opresión muy fuerte',
    'se me va a la mandíbula',
    'me irradia al brazo izquierdo',
  ],
  'breathing-difficulty': [
    "I can't breathe",
    'I cannot breathe',
    'cant breathe',
    'I am short of breath',
    'my son is struggling to breathe',
    'I can barely breathe',
    'no puedo respirar',
    'me falta el aire',
    'me ahogo',
    'le cuesta respirar',
  ],
  'self-harm': [
    'I want to kill myself',
    'I feel suicidal',
    "I don't want to live anymore",
    'everyone would be better off without me',
    'I have the pills ready',
    'I keep cutting myself',
    'there is no reason to live',
    'me quiero matar',
    'ya no quiero vivir',
    'estoy pensando en quitarme la vida',
    'soy una carga para todos',
  ],
  'overdose-poisoning': [
    'I think I overdosed',
    'she took too many pills',
    'my son drank bleach',
    'me tomé todas las pastillas',
    'es una sobredosis',
    'I took all the pills',
    'I took the whole bottle',
    'took a whole bottle of tylenol',
    'swallowed a bunch of pills',
    'my kid took a bunch of my pills',
    'took like 20 pills',
    'she swallowed some poison',
    'he ate rat poison',
    'my toddler bit a laundry pod',
    'I swalowed a bunch of pills',
    'tomé todas las pastillas de mi mamá',
    'me tomé un frasco entero',
    'se tomó todo el frasco de paracetamol',
    'tome muchas pastillas',
    'mi hijo se tomó el cloro',
    'mi hija tomó veneno para ratas',
    'se tomo un monton de pastillas',
  ],
  'stroke-signs': [
    'his face is drooping',
    'her speech is slurred',
    'sudden weakness on one side',
    'I think my dad is having a stroke',
    'tiene la cara caída',
    'no puede mover el brazo',
    'creo que es un derrame',
  ],
  anaphylaxis: [
    'my throat is closing',
    'my tongue is swelling',
    'his lips are swollen after peanuts',
    'se me cierra la garganta',
    'tengo la lengua hinchada',
  ],
  'severe-bleeding': [
    "the bleeding won't stop",
    'there is so much blood',
    'I am coughing up blood',
    'está sangrando mucho',
    'no para de sangrar',
    'vomitando sangre',
  ],
  'unconscious-collapse': [
    'my wife passed out',
    'he collapsed in the kitchen',
    'she is unconscious',
    "he won't wake up",
    'se desmayó',
    'perdió el conocimiento',
    'no responde',
  ],
  'major-trauma': ['I was stabbed', 'he got shot', 'car accident, my head is bleeding', 'me dispararon', 'lo atropelló un carro'],
  seizure: ['she is having a seizure', 'he is convulsing', 'my son had a fit', 'tiene convulsiones', 'está convulsionando'],
  'child-danger-signs': [
    'my newborn has a fever',
    'my 3 week old has a temperature',
    'the baby is floppy',
    'fever and a stiff neck',
    'mi recién nacido tiene fiebre',
    'el bebé está morado',
    // NHS 999 signs in babies and children: a young infant with fever; floppy, limp, unresponsive, not feeding, not waking, blue lips,
    // mottled, inconsolable, fontanelle, no wet diapers; with the age or the child in another clause.
    'my baby is 2 months old, has a fever of 39 and wont feed, very floppy',
    'my 2 month old has a fever',
    'my 5 week old has a fever of 38.5',
    'my baby is 7 weeks and has a temp of 38',
    'she is very floppy',
    'my son went limp',
    'my toddler is unresponsive',
    'he wont feed at all',
    'she is not feeding and very sleepy',
    'hard to wake this morning',
    'my daughter has blue lips',
    'his skin looks mottled',
    'she is inconsolable',
    "we can't console him",
    'the fontanelle is bulging',
    'the soft spot is sunken',
    'no wet diapers since yesterday',
    "hasn't had a wet diaper in 12 hours",
    'bebé de 2 meses con fiebre',
    'mi bebe tiene 1 mes y tiene calentura',
    'está muy flácido',
    'esta flojito y no quiere mamar',
    'mi hijo está muy decaído',
    'no ha mojado el pañal en todo el dia',
    'la mollera está hundida',
    'tiene los labios azules',
    'llora sin parar',
    'no se calma con nada',
    'es difícil de despertar',
    'my baby is 2 mnths old and has fever',
    'my 3 wk old is burning up',
    'mi bb no quiere comer y esta muy decaido',
  ],
};

describe('emergency concepts (each with English and Spanish variants)', () => {
  for (const [concept, texts] of Object.entries(CONCEPTS)) {
    it.each(texts)(`${concept}: %s`, (text) => {
      const r = run(text);
      expect(r.level).toBe('emergency');
      expect(r.findings.some((f) => f.concept === concept && f.status === 'affirmed')).toBe(true);
    });
  }

  it('covers every emergency concept of the shipped lexicon', () => {
    const shipped = DEFAULT_TRIAGE_LEXICON.concepts.filter((c) => c.level === 'emergency').map((c) => c.id);
    expect(Object.keys(CONCEPTS).sort()).toEqual([...shipped].sort());
    for (const c of DEFAULT_TRIAGE_LEXICON.concepts) expect(c.terms.en?.length && c.terms.es?.length).toBeTruthy();
  });

  it('answers self-harm with the crisis line, others with emergency services', () => {
    expect(run('I want to end my life').action).toBe('crisis-line');
    expect(run('my chest hurts').action).toBe('advise-emergency-services');
    // Self-harm anywhere makes it the crisis line, whatever came first.
    expect(run('my chest hurts and I want to die').action).toBe('crisis-line');
  });
});

describe('clinical, not an emergency: nurse triage', () => {
  it.each([
    'I have a fever',
    'my back hurts',
    'rash on my arm',
    'feeling dizzy',
    'side effects from my new medicine',
    'tengo fiebre',
    'me duele la cabeza',
    'tengo diarrea',
    'necesito una receta',
    'No chest pain today, just need a refill',
    'I took all my antibiotics like you said',
    'can I crush my pills into applesauce',
    'my baby is feeding well but has a little rash',
    'my baby is not feeding as much as usual during this cold',
    'my 8 month old has a runny nose',
    'I have a limp since my knee surgery',
    'hoy no tengo dolor de pecho, solo necesito receta',
  ])('%s', (text) => {
    expect(run(text)).toMatchObject({ level: 'clinical', action: 'nurse-triage' });
  });

  it.each(['Can I move my appointment?', 'what time do you open', 'quiero cambiar mi cita', 'no air conditioning in the waiting room',
    'my portal is not responding'])(
    'nothing clinical: %s',
    (text) => expect(run(text).level).toBe('none'),
  );
});

type Form = readonly [string, string, 'negated' | 'resolved' | 'historical'];
const NEGATION_FORMS: readonly Form[] = [
  ['pre "no" (en)', 'No chest pain today, just need a refill', 'negated'],
  ['pre "not"', 'I am not suicidal', 'negated'],
  ['pre "do not have"', 'I don\'t have any chest pain', 'negated'],
  ['pre "never"', 'I have never had a seizure', 'negated'],
  ['pre "without"', 'walked a mile without shortness of breath', 'negated'],
  ['pre "denies"', 'denies chest pain', 'negated'],
  ['pre "no longer"', 'I no longer have chest pain', 'negated'],
  ['pre "no" (es)', 'no tengo dolor en el pecho', 'negated'],
  ['pre "ya no" (es)', 'ya no tengo dolor en el pecho', 'negated'],
  ['pre "sin" (es)', 'camino sin falta de aire', 'negated'],
  ['pre "nunca" (es)', 'nunca he tenido convulsiones', 'negated'],
  ['post "went away"', 'the chest pain went away', 'resolved'],
  ['post "is gone"', 'my chest pain is gone now', 'resolved'],
  ['post "resolved"', 'shortness of breath resolved after the inhaler', 'resolved'],
  ['post "stopped"', 'the bleeding a lot part has stopped', 'resolved'],
  ['post "se me quitó" (es)', 'el dolor de pecho ya se me quitó', 'resolved'],
  ['post "ya pasó" (es)', 'la falta de aire ya pasó', 'resolved'],
  ['historical "years ago"', 'I had a stroke 5 years ago', 'historical'],
  ['historical "history of"', 'history of seizures, need a refill', 'historical'],
  ['historical "died of"', 'my father died of a heart attack', 'historical'],
  ['historical "hace años" (es)', 'tuve un derrame hace años', 'historical'],
  // Media, others and hypotheticals: a topic, not an event (a cue before the concept only).
  ['mention "movie about"', 'I watched a movie about a heart attack and got curious about my cholesterol results', 'negated'],
  ['mention "article about"', 'I read an article about strokes, can you check my blood pressure', 'negated'],
  ['mention "documentary about"', 'saw a documentary about seizures, can my kid get them', 'negated'],
  ['mention "learned about"', 'we learned about overdose in class', 'negated'],
  ['mention "friend had" + "last year"', 'my friend had a heart attack last year, should i get my cholesterol checked', 'negated'],
  ['mention "neighbor had"', 'my neighbor had a stroke last month, worried about my blood pressure', 'negated'],
  ['mention "family history"', 'family history of stroke, want a checkup', 'historical'],
  ['mention "if i had"', 'what if I had a heart attack, how would I know', 'negated'],
  ['mention "película sobre" (es)', 'vi una película sobre un infarto y quiero ver mi colesterol', 'negated'],
  ['mention "artículo sobre" (es)', 'leí un artículo sobre el derrame cerebral, mis resultados de presión', 'negated'],
  ['mention "mi amigo tuvo" (es)', 'mi amigo tuvo un infarto el año pasado, quiero revisar mi colesterol', 'negated'],
  ['mention "antecedentes familiares" (es)', 'antecedentes familiares de derrame, quiero una revisión', 'historical'],
];

describe('negation, resolution and history (NegEx / ConText style)', () => {
  it.each(NEGATION_FORMS)('%s: %s', (_form, text, status) => {
    const r = run(text);
    expect(r.level).toBe('clinical');
    const emergencies = r.findings.filter((f) => f.level === 'emergency');
    expect(emergencies.length).toBeGreaterThan(0);
    for (const f of emergencies) expect(f).toMatchObject({ status });
    expect(emergencies[0]!.cue).toBeTruthy();
  });

  it.each([
    ['an affirmed emergency after a negated one wins ("but")', 'I am not suicidal but I have the pills ready'],
    ['"pero" ends the negation', 'no tengo fiebre pero me duele mucho el pecho'],
    ['"and" ends the negation', 'no fever and I can\'t breathe'],
    ['a comma ends the negation', 'no, my chest hurts'],
    ['the negation inside a concept is part of it', 'I can\'t breathe'],
    ['a concept\'s own "not" negates nothing after it', 'I do not want to live, chest pain too'],
    ['the window is short', 'no one is home and my chest is killing me'],
    ['pseudo-negation "not sure"', 'I\'m not sure but I think it is a heart attack'],
    ['pseudo-negation "won\'t go away"', 'chest pain that won\'t go away'],
    ['pseudo-negation "no se me quita" (es)', 'el dolor de pecho no se me quita'],
    ['"not feeling well" is not a negation', 'I am not feeling well and can\'t breathe'],
    ['resolution never reaches past a clause', 'the headache went away. Now I have chest pain'],
    ['came back is not resolved', 'chest pain went away and came back'],
    ['an affirmed emergency anywhere in a long message', 'No fever. No cough. No rash. Refill please. Also I want to kill myself.'],
    // A negation never crosses "but", "pero" or a new time clause; what follows is the concept again.
    ['"but today" ends the negation', 'I had no chest pain yesterday but today it is crushing and goes to my jaw'],
    ['a new time clause ends the negation', 'no chest pain yesterday, today it\'s crushing'],
    ['"but now" ends the negation', 'I didn\'t have chest pain this morning but now there\'s a pressure going to my arm'],
    ['an affirmed mention overlapping a negated one wins', 'no pain before but now my chest feels tight'],
    ['"now it is" after a negated chest pain', 'Im not having chest pain earlier but now its really tight'],
    ['"tonight" ends the negation', 'last week i had no chest pain but tonight there is a tightness going to my jaw'],
    ['"pero hoy" ends the negation (es)', 'ayer no tenía dolor en el pecho pero hoy me aprieta el pecho'],
    ['"hoy" ends the negation (es)', 'no tenía dolor de pecho ayer, hoy siento opresión'],
    ['"ahora" ends the negation (es)', 'antes no tenía dolor, ahora me aprieta el pecho y se me va al brazo izquierdo'],
    // A mention of a topic never hides a current emergency, the patient's or a relative's.
    ['a relative now', 'my dad is having a heart attack'],
    ['a relative now (es)', 'mi papá está teniendo un infarto'],
    ['a movie, then a symptom', 'I watched a movie about a heart attack and now my chest hurts'],
    ['a friend last year, then a symptom (es)', 'mi amigo tuvo un infarto el año pasado y ahora yo tengo dolor en el pecho'],
    ['a friend now', 'my friend is having a seizure right now'],
    // A topic cue counts only before the concept: after an affirmed one it qualifies nothing.
    ['a topic cue after the concept', 'chest pain how do i know if its a heart attack'],
    ['"friend had" after the concept', 'I\'m having a heart attack like my friend had'],
    ['"signs of" after a stroke sign', 'my face is drooping what are the signs of a stroke'],
    ['"mi amigo tuvo" after the concept (es)', 'tengo dolor en el pecho como mi amigo tuvo'],
  ])('%s', (_what, text) => {
    expect(run(text).level).toBe('emergency');
  });
});

describe('normalisation', () => {
  it.each([
    ['case', 'I HAVE CHEST PAIN'],
    ['accents', 'tengo dolor en el pécho'],
    ['no accents', 'me quiero suicidar, ya no aguanto mas'],
    ['punctuation', 'chest...pain!!!'],
    ['repeated letters', 'my cheeeest hurrrts'],
    ['joined words', 'chestpain'],
    ['joined words (3)', 'i cantbreathe'],
    ['split words', 'I think I over dosed'],
    ['misspelling from the lexicon', 'I cant brethe'],
    ['misspelling (es)', 'me duele el pexo'],
    ['one typo in a long word', 'I am having a seizrue'],
    ['a dropped letter in a short word', 'chst pain'],
    ['a number of ten or more', 'I took 30 tylenol'],
    ['contraction with typographic apostrophe', 'I can’t breathe'],
    ['contraction without apostrophe', 'i dont want to live'],
    ['cannot', 'he cannot breathe'],
  ])('%s: %s', (_what, text) => {
    expect(run(text).level).toBe('emergency');
  });

  it('expands contractions and keeps clause boundaries', () => {
    expect(tokenize("I can't, I won't")).toEqual(['i', 'can', 'not', '|', 'i', 'will', 'not']);
    expect(tokenize('cannot CANT cant')).toEqual(['can', 'not', 'can', 'not', 'can', 'not']);
  });

  it('keeps look-alike phrases apart (governed exclusions), but not from clinical', () => {
    for (const text of [
      'Stroke of luck, I found my card',
      'suicide prevention month flyer',
      "I'm dying to know my results",
      'I need my flu shot',
    ]) {
      expect(run(text).level, text).not.toBe('emergency');
    }
    expect(run('I need my flu shot').level).toBe('clinical');
    expect(run('I took 2 tylenol').level).not.toBe('emergency');
  });

  it('does not correct real words into emergencies', () => {
    for (const text of [
      'I was cooking dinner',
      'thanks for checking in',
      'my phone number changed',
      'going on strike',
      'pregunta sobre mi factura',
    ]) {
      expect(run(text).level, text).not.toBe('emergency');
    }
    // Short words take no typo inside a prefix ("down" is not "drown*") and no changed letter ("chess" is not "chest").
    expect(run('feeling a bit down').level).not.toBe('emergency');
    expect(run('I play chess pain free').level).not.toBe('emergency');
  });
});

describe('explanation', () => {
  it('names the concept, the words that matched and any negation applied', () => {
    const r = run("I'm not suicidal but I have the pills ready");
    expect(r.findings).toEqual([
      { concept: 'self-harm', level: 'emergency', language: 'en', term: 'suicid*', words: 'suicidal', status: 'negated', cue: 'not' },
      {
        concept: 'self-harm',
        level: 'emergency',
        language: 'en',
        term: 'pills * ready',
        words: 'pills ready',
        status: 'affirmed',
        cue: null,
      },
    ]);
    expect(r.explanation).toContain('self-harm "suicidal" negated by "not"');
    expect(r.explanation).toContain('self-harm "pills ready" affirmed');
  });

  it('is deterministic', () => {
    const text = 'my chest hurts, no fever, and I cannot breathe';
    expect(run(text)).toEqual(run(text));
  });
});

describe('the lexicon is governed data', () => {
  it('ships a default that its setting schema accepts', () => {
    const def = findSetting('messaging.triageLexicon')!;
    expect(def).toMatchObject({ ownerFunction: 'clinical', risk: { STAGING: 'HIGH', PRODUCTION: 'HIGH' } });
    expect(validateSettingValue('messaging.triageLexicon', def.defaultValue)).toMatchObject({ ok: true });
  });

  it('refuses a lexicon without an emergency concept, and a term starting with a gap', () => {
    const noEmergency = { ...DEFAULT_TRIAGE_LEXICON, concepts: DEFAULT_TRIAGE_LEXICON.concepts.filter((c) => c.level === 'clinical') };
    expect(validateSettingValue('messaging.triageLexicon', noEmergency)).toMatchObject({
      ok: false,
      problems: [{ path: 'value.concepts', message: 'must keep at least one emergency concept' }],
    });
    const gap = {
      ...DEFAULT_TRIAGE_LEXICON,
      concepts: [{ id: 'x', level: 'emergency', action: 'advise-emergency-services', terms: { en: ['* pain'] } }],
    };
    expect(validateSettingValue('messaging.triageLexicon', gap)).toMatchObject({ ok: false });
  });

  it('applies a changed lexicon: a new concept pages, a removed term no longer does', () => {
    const custom: TriageLexicon = {
      ...DEFAULT_TRIAGE_LEXICON,
      concepts: [
        { id: 'sepsis', level: 'emergency', action: 'advise-emergency-services', terms: { en: ['mottled skin'], es: ['piel marmorea'] } },
      ],
    };
    const c = compileLexicon(custom);
    expect(classify('his skin looks mottled skin', c).concept).toBe('sepsis');
    expect(classify('I have chest pain', c).level).toBe('none');
  });
});
