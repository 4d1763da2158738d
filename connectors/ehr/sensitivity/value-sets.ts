// The governed value sets of the sensitive categories: which codes (and, for local or unknown code systems, which
// words of a coded display or of a note's text) make a record sensitive. Data, not logic: the classification in
// ../sensitivity.ts only walks these tables, so extending a category is an edit here, reviewed like any policy edit.
//
// Categories are HL7 v3 ActCode InformationSensitivityPolicy codes
// (https://terminology.hl7.org/CodeSystem-v3-ActCode.html#v3-ActCode-_InformationSensitivityPolicy):
// HIV (HIV/AIDS), ETH (substance abuse; SUD/OPIOIDUD labels count as ETH), PSY (psychiatry; MH/BH/PSYTHPN count),
// STD (sexually transmitted disease), SDV (sexual assault, abuse, or domestic violence), SEX (sexuality and
// reproductive health: here induced abortion only).
//
// Provenance of the defaults (each list is a subset chosen for what the gateway reads, not the whole value set):
// - HIV: VSAC "HIV" (OID 2.16.840.1.113883.3.464.1003.120.12.1003, CMS eCQM), "HIV Viral Load"
//   (2.16.840.1.113883.3.464.1003.120.12.1002), LOINC HIV antibody/antigen panels; antiretrovirals from the VSAC
//   "Antiretroviral Medications" grouping (RxNorm ingredients) and the Synthea `hiv_diagnosis`/`hiv_care` modules.
// - ETH: VSAC "Alcohol and Drug Dependence" (2.16.840.1.113883.3.464.1003.106.12.1001), SAMHSA C2S
//   "Substance Use Disorder" (42 CFR Part 2) value sets; MOUD medications (buprenorphine, methadone, naltrexone)
//   from VSAC "Medications for Opioid Use Disorder"; the Synthea `opioid_addiction` and `alcoholism` modules.
// - PSY: VSAC "Major Depression" (2.16.840.1.113883.3.526.3.1491), "Mental Health Diagnoses"
//   (2.16.840.1.113883.3.464.1003.105.12.1004), ICD-10-CM chapter 5 (F20-F69, F90-F99), Synthea `mental_health`;
//   psychiatric medicines by class (WHO ATC N06A antidepressants, N05A antipsychotics, N05AN lithium, N05BE
//   buspirone, N06BA and N06BX ADHD medicines), generic and brand name, only where the class names a psychiatric
//   disorder: see PSY_MEDICINES for what is left out as ambiguous.
// Mental-health and substance-use screening instruments with a result (PHQ-2/PHQ-9, GAD-7 under PSY; AUDIT-C,
// DAST-10 under ETH) are behavioural-health data (HL7 PSY/ETH, 42 CFR Part 2 for substance use screening): they are
// listed, so a severe PHQ-9 score is withheld like the depression it points to. Opioid analgesics (oxycodone, even in
// an abuse-deterrent product) are not: only medications for opioid use disorder (MOUD) say a disorder is treated.
// - STD: ICD-10-CM A50-A64 ("Infections with a predominantly sexual mode of transmission"), Z20.2, Z11.3; SNOMED CT
//   from the PHIN VADS "Infections During Pregnancy" set (gonorrhea, syphilis, chlamydia, genital herpes simplex).
// - SDV: ICD-10-CM T74/T76 (abuse confirmed, suspected), Y07 (perpetrator), Z04.4 (examination after alleged rape),
//   Z69 (services for victim or perpetrator of abuse), Z91.41 and Z62.81 (history of abuse).
// - SEX: ICD-10-CM O04, O07 (induced termination of pregnancy, failed attempt), Z33.2 (elective termination).
//   A spontaneous, missed or threatened abortion (a miscarriage, O03) is not listed: the governed set is induced
//   termination; extending it to pregnancy loss is a policy edit here.
// Free text is normalised before these words are matched (normalize.ts): the patterns are written for plain
// Latin letters without accents ("heroina", "Alcoholicos Anonimos") and single spaces.

export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const ICD10_SYSTEMS = ['http://hl7.org/fhir/sid/icd-10-cm', 'http://hl7.org/fhir/sid/icd-10'] as const;
const LOINC_SYSTEM = 'http://loinc.org';
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** The categories a code can put a record in (ActCode InformationSensitivityPolicy codes). */
export type SensitivityCode = 'HIV' | 'ETH' | 'PSY' | 'STD' | 'SDV' | 'SEX';

export interface CategoryValueSet {
  readonly category: SensitivityCode;
  /** Exact codes per code system. */
  readonly codes: Readonly<Record<string, readonly string[]>>;
  /** ICD-10 code prefixes (the classification is hierarchical: `F10` covers F10.10, F10.20...). */
  readonly icd10Prefixes: readonly string[];
  /**
   * Words of a display text, a medication's name or a note, matched case-insensitively on word boundaries unless the
   * pattern says otherwise. Used for codings of unknown or local systems, for RxNorm (product codes name the
   * ingredient) and for free text.
   */
  readonly terms: readonly RegExp[];
}

/** A case-insensitive pattern written in pieces, so a long alternation stays readable. */
const pattern = (...parts: string[]): RegExp => new RegExp(parts.join(''), 'i');
/** What one drinks that is not alcohol ("drinking water", "stopped drinking soda"). */
const BEVERAGES = 'water|fluids?|liquids?|milk|juice|coffee|tea|soda|pop|caffeine|energy|sugary|diet';
/** What one relapses on or detoxes from. */
const SUBSTANCES = [
  'alcohol', 'drinking', 'drugs?', 'heroin', 'opioids?', 'opiates?', 'cocaine', 'crack', String.raw`meth\w*`, 'fentanyl', 'pills',
  'substances?', 'benzos?', String.raw`oxy\w*`, 'percocet', 'xanax',
].join('|');
/** Viruses whose viral load is measured outside HIV care ("HCV viral load", "viral load (CMV)"). */
const OTHER_VIRUSES = String.raw`hepatitis ?[A-E]|hep ?[A-E]|HBV|HCV|HDV|CMV|cytomegalovirus|EBV|Epstein[- ]Barr|BKV?|JCV?|HPV|HSV|VZV|`
  + String.raw`HHV[- ]?[1-8]|adenovirus|COVID(-19)?|SARS[- ]CoV[- ]?2|RSV|influenza|norovirus|parvovirus`;

/**
 * A listed word as typed with one break inside it: a single hyphen or space between two parts of three letters or more
 * ("Tru vada", "psy-chiatrist", "Zo-loft" is not: a part of two letters is too often a word of its own, "focal in" is
 * not Focalin, "in Vega" not Invega). Words shorter than six letters are written only whole.
 */
const breakable = (word: string): string[] => {
  const forms = [word];
  if (/^[A-Za-z]+$/.test(word) && word.length >= 6)
    for (let i = 3; i <= word.length - 3; i++) forms.push(`${word.slice(0, i)}[- ]${word.slice(i)}`);
  return forms;
};
/** Words as an alternation of their forms, whole or broken once (breakable). */
const broken = (...words: string[]): string => words.flatMap(breakable).join('|');
/**
 * Names of medicines, case-insensitive, as words that digits may touch ("Zoloft50mg", "sertraline-100"): in the
 * plural or possessive ("Zolofts", "Zoloft's", "Seroquels'"), broken once by a hyphen or a space ("Tru vada",
 * breakable), and a generic name written without its final "e" as other languages spell the INN ("Sertralin",
 * "Quetiapin", "Methadon"). A generic is written in lower case in the lists, a brand capitalised.
 */
const medicines = (...names: string[]): RegExp => {
  const forms = names.flatMap((name) => {
    const dropE = /^[a-z]+e$/.test(name) ? [`${name}?`] : [name];
    return [...dropE, ...breakable(name).slice(1)];
  });
  return new RegExp(`(?<![a-z])(${forms.join('|')})(?:'?s|s')?(?![a-z])`, 'i');
};

// HIV pre-exposure prophylaxis as it is typed besides "PrEP" (see the HIV terms): "PREP" in capitals and "prep" in
// any case are also a bowel, skin, surgical, meal or exam preparation ("BOWEL PREP", "PREP SHEET", "prep for
// colonoscopy"), and capitals are how a whole message is shouted; so they count only next to what a bowel prep has
// not: its refills, injections, clinic, labs, adherence, being on it or eligible for it.
/** What qualifies a preparation that is not PrEP ("bowel prep", "SAT prep", "meal prep", "skin prep"). */
const NOT_PREP_BEFORE = String.raw`(?<!\b(bowel|colon|colonoscopy|endoscopy|procedure|meal|food|kitchen|line|skin|surgical|surgery|`
  + String.raw`pre-?op|site|chest|test|exam|SAT|ACT|MCAT|LSAT|GRE|school|class|course|lab|sample|slide|specimen|room|dental|bed)[- ])`;
/** What follows a preparation that is not PrEP ("prep for colonoscopy", "prep day", "prep kit", "prep instructions"). */
const NOT_PREP_AFTER = String.raw`(?![- ]?(for|before|of|day|tonight|at|time|work|station|cook\w*|kit|sheet|instructions?|solution|drink|`
  + String.raw`liquids?|diet|list|area|table|duty|shift|crew|the|a|an|is|was|and|or)\b)`;

/** What a preparation is written next to, when its sentence goes on ("on prep day", "prep kit", "prep instructions"). */
const NOT_PREP_WORD_AFTER = String.raw`(?!(days?|tonight|time|work|station|cook\w*|kit|sheet|instructions?|solution|drink|liquids?|diet|`
  + String.raw`list|area|table|duty|shift|crew|school|class|course|cook|room)\b)`;
/** What a bowel, surgical or exam preparation is for, named in the same sentence as "on prep". */
const PREP_PROCEDURES = String.raw`colonoscop\w*|endoscop\w*|sigmoidoscop\w*|scope|EGD|bowel|colon|GI|surgery|surgical|procedure|`
  + String.raw`operation|op|scan|CT|MRI|x-?ray|barium|clear liquids?|laxatives?|miralax|golytely|suprep|moviprep|plenvu|clenpiq|`
  + String.raw`dulcolax|magnesium citrate|mag citrate|exam|test|SAT|ACT|MCAT|LSAT|GRE|kitchen|restaurant|meal|cooking|chef`;

// Substance use named by what is used: the drugs that make a use disorder, an addiction, a detox or a rehab.
/** Substances whose use disorder, addiction, withdrawal or rehab is ETH ("meth addiction", "benzo withdrawal"). */
const ADDICTIVE = String.raw`alcohol|drugs?|heroin|cocaine|crack|meth|methamphetamine|crystal meth|fentanyl|opioids?|opiates?|`
  + String.raw`benzos?|benzodiazepines?|pills?|pain ?pills?|painkillers?|narcotics?|oxy\w*|percocets?|xanax|cannabis|marijuana|`
  + String.raw`weed|stimulants?|amphetamines?|substances?|ketamine|PCP|ecstasy|MDMA|kratom|inhalants?`;
/** Addictions that are not a substance use disorder (nicotine is not in the ETH set: F17 is not listed). */
const NOT_SUBSTANCE_ADDICTION = String.raw`nicotine|tobacco|smoking|cigarettes?|vaping|vape|caffeine|coffee|sugar|food|chocolate|`
  + String.raw`carbs?|gaming|games?|video games?|internet|the internet|phones?|my phone|smartphones?|screens?|social media|tv|television|`
  + String.raw`shopping|gambling|sex|porn|pornography|work|exercise|love|tanning|nasal spray|chapstick|lip balm`;
/** "detox", "de-tox", "de tox", "detoxification". */
const DETOX = String.raw`de[- ]?tox(?:ification)?`;
/** A detox that is a diet or a habit, not withdrawal from a substance ("juice detox", "digital detox", "liver detox"). */
const NOT_SUBSTANCE_DETOX_BEFORE = String.raw`(?<!\b(juice|juicing|tea|sugar|carbs?|digital|social media|screen|phone|dopamine|`
  + String.raw`liver|colon|body|skin|hair|foot|feet|diet|spa|metal|heavy metal|caffeine|coffee|nicotine|green|smoothie|beauty|`
  + String.raw`facial|holiday|January|detox)[- ])`;
const NOT_SUBSTANCE_DETOX_AFTER = String.raw`(?![- ](tea|teas|juices?|diet|cleanse|smoothies?|shakes?|baths?|foot|pads?|patch|`
  + String.raw`drinks?|water|supplements?|pills|kit|mask|wrap|challenge|recipes?|plan|from (sugar|caffeine|coffee|social media))\b)`;

// Psychiatric medicines, generic and brand name, by class: a medicine whose indications are psychiatric names the
// disorder it treats, as an antiretroviral names HIV. Some of them have other uses too (duloxetine for neuropathic
// pain, olanzapine and haloperidol against nausea or delirium, quetiapine for sleep): they count all the same, erring
// on withholding as tenofovir does. ADHD is a mental-health category here (ICD-10 F90 and "ADHD" are PSY above), so
// the medicines whose indication is ADHD count (Adderall, methylphenidate...), methamphetamine (Desoxyn) being ETH.
// Left out as ambiguous, because their common use is not psychiatric: lamotrigine, valproate/divalproex (Depakote),
// carbamazepine, oxcarbazepine, gabapentin, topiramate (epilepsy, migraine, pain); amitriptyline, nortriptyline,
// doxepin, imipramine and trazodone (pain, migraine, sleep at their usual doses); benzodiazepines (seizures,
// procedures, alcohol withdrawal; their misuse is ETH); hydroxyzine; prochlorperazine, promethazine, metoclopramide
// (nausea); clonidine and guanfacine by generic name (blood pressure; their ADHD-only brands Kapvay and Intuniv
// count); propranolol, prazosin; modafinil; selegiline by mouth (Parkinson's; its antidepressant patch Emsam counts);
// ketamine; and the brands of a non-psychiatric use: Zyban (bupropion to stop smoking), Brisdelle (paroxetine for hot
// flashes), Savella (milnacipran for fibromyalgia), Contrave.
const PSY_MEDICINES: readonly RegExp[] = [
  // Antidepressants (ATC N06A): SSRIs, SNRIs, others, MAOIs, and the rapid-acting ones.
  medicines('sertraline', 'fluoxetine', 'citalopram', 'escitalopram', 'paroxetine', 'fluvoxamine', 'vilazodone', 'vortioxetine'),
  medicines('venlafaxine', 'desvenlafaxine', 'duloxetine', 'levomilnacipran', 'bupropion', 'mirtazapine', 'nefazodone', 'gepirone'),
  medicines('phenelzine', 'tranylcypromine', 'isocarboxazid', 'esketamine', 'zuranolone', 'brexanolone', 'clomipramine'),
  medicines('Zoloft', 'Prozac', 'Sarafem', 'Celexa', 'Lexapro', 'Paxil', 'Pexeva', 'Luvox', 'Viibryd', 'Trintellix', 'Effexor'),
  medicines('Pristiq', 'Cymbalta', 'Drizalma', 'Fetzima', 'Wellbutrin', 'Aplenzin', 'Forfivo', 'Auvelity', 'Remeron', 'Nardil'),
  medicines('Parnate', 'Marplan', 'Emsam', 'Spravato', 'Zurzuvae', 'Zulresso', 'Exxua', 'Symbyax', 'Anafranil'),
  // Antipsychotics (ATC N05A).
  medicines('quetiapine', 'aripiprazole', 'olanzapine', 'risperidone', 'paliperidone', 'ziprasidone', 'lurasidone', 'clozapine'),
  medicines('haloperidol', 'brexpiprazole', 'cariprazine', 'asenapine', 'iloperidone', 'lumateperone', 'pimavanserin'),
  medicines('chlorpromazine', 'fluphenazine', 'perphenazine', 'thioridazine', 'thiothixene', 'loxapine', 'trifluoperazine'),
  medicines('molindone', 'xanomeline'),
  medicines('Seroquel', 'Abilify', 'Aristada', 'Zyprexa', 'Lybalvi', 'Risperdal', 'Perseris', 'Uzedy', 'Rykindo', 'Invega'),
  medicines('Geodon', 'Latuda', 'Clozaril', 'Versacloz', 'FazaClo', 'Haldol', 'Rexulti', 'Vraylar', 'Saphris', 'Secuado', 'Fanapt'),
  medicines('Caplyta', 'Nuplazid', 'Thorazine', 'Cobenfy'),
  // Mood stabilisers: lithium as a medicine ("lithium 300 mg", "lithium level", "on lithium"), not a battery, a cell,
  // a metal or the lithium heparin of a blood tube.
  /(?<![a-z])lithium(?![a-z])(?![- ](ion|batter\w*|cells?|polymer|metal|heparin|dilution|grease|mines?|mining|coin|button)\b)/i,
  medicines('Lithobid', 'Eskalith'),
  // Anxiolytic whose only use is anxiety (ATC N05BE).
  medicines('buspirone', 'BuSpar'),
  // ADHD medicines (ATC N06BA, N06BX).
  medicines('amphetamine', 'dextroamphetamine', 'lisdexamfetamine', 'methylphenidate', 'dexmethylphenidate', 'serdexmethylphenidate'),
  medicines('atomoxetine', 'viloxazine'),
  medicines('Adderall', 'Mydayis', 'Vyvanse', 'Ritalin', 'Concerta', 'Focalin', 'Strattera', 'Qelbree', 'Intuniv', 'Kapvay'),
  medicines('Dexedrine', 'Zenzedi', 'Evekeo', 'Daytrana', 'Methylin', 'QuilliChew', 'Jornay', 'Azstarys', 'Cotempla', 'Adzenys'),
  medicines('Dyanavel', 'Aptensio', 'Relexxii'),
  // Misspellings as a tester found them typed, listed exactly as the HIV ones are (no fuzzy match: see the HIV
  // brands); other misspellings stay unmatched.
  medicines('Zolloft', 'Seroqel'),
];

/** Care of the mind: what a psychiatric ward, evaluation, hold or visit is written as. */
const PSY_CARE = String.raw`wards?|units?|hospitals?|hospitali[sz]ations?|holds?|eval\w*|assessments?|consult\w*|admissions?|admit|`
  + String.raw`meds|medications?|medicines?|floor|facility|facilities|ER|ED|emergency|nurse|clinic|appointments?|appt|visits?|services|`
  + String.raw`hx|history|dx|diagnos[ie]s|referrals?|team|rx|stays?|discharge|follow[- ]?up|f/u|NP|doctor|doc|care|treatment|`
  + String.raw`illness|disorders?|conditions?|crisis|patient|inpatient|outpatient|symptoms|problems|issues|provider|therapy|`
  // What billing is asked about it ("my psychiatric bill", "the psych invoice").
  + String.raw`institutions?|commitment|sessions?|prescriptions?|records|notes|bills?|billing|invoices?|charges?|costs?|fees?|`
  + String.raw`copays?|claims?|coverage|paperwork`;

const SETS: readonly CategoryValueSet[] = [
  {
    category: 'HIV',
    codes: {
      [SNOMED_SYSTEM]: [
        '86406008', // Human immunodeficiency virus infection
        '165816005', // HIV positive
        '62479008', // Acquired immune deficiency syndrome
        '91947003', // Asymptomatic HIV infection
        '79019005', // Human immunodeficiency virus infection, CDC group IV (AIDS)
        '40780007', // HIV I infection
        '48794007', // HIV infection with infectious mononucleosis-like syndrome
        '713260006', // HIV-associated lipodystrophy
      ],
      [LOINC_SYSTEM]: [
        '25836-8', // HIV 1 RNA [#/volume] (viral load) in Serum or Plasma by NAA with probe detection
        '20447-9', // HIV 1 RNA [#/volume] (viral load) in Serum or Plasma by Probe with amplification
        '10351-5', // HIV 1 RNA [Units/volume] (viral load) in Serum or Plasma by Probe with amplification
        '23876-5', // HIV 1 RNA [#/volume] (viral load) in Plasma by Probe with signal amplification
        '59419-0', // HIV 1 RNA [Log #/volume] (viral load) in Plasma by NAA
        '7917-8', // HIV 1 Ab [Presence] in Serum
        '5221-7', // HIV 1 Ab [Presence] in Serum by Immunoblot
        '68961-2', // HIV 1 Ab [Presence] in Serum or Plasma by Immunoassay
        '31201-7', // HIV 1+2 Ab [Presence] in Serum or Plasma
        '56888-1', // HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay
        '75622-1', // HIV 1+2 Ab+HIV 1 p24 Ag [Presence] in Serum or Plasma by Immunoassay
        '80387-4', // HIV 1 and 2 Ab and HIV 1 p24 Ag panel
        '43599-8', // HIV 1 Ab [Presence] in Serum or Plasma by Immunoassay (rapid)
      ],
      [RXNORM_SYSTEM]: [
        '11413', // zidovudine
        '68244', // lamivudine
        '190521', // abacavir
        '300195', // tenofovir
        '276237', // emtricitabine
        '195085', // efavirenz
        '53654', // nevirapine
        '719872', // raltegravir
        '1433868', // dolutegravir
        '1999663', // bictegravir
        '460132', // darunavir
        '343047', // atazanavir
        '1999563', // bictegravir / emtricitabine / tenofovir alafenamide (Biktarvy)
      ],
    },
    icd10Prefixes: ['B20', 'Z21', 'B97.35', 'O98.7', 'R75'],
    terms: [
      // "HIV", "HIV-1", "HIV 2" and the run-together "Hiv1"/"hiv2" of local lab systems.
      /\bHIV[12]?\b/i,
      // Spelled out with one separator between the letters: "H.I.V.", "h.i.v", "H I V", "H-I-V", "H. I. V.".
      /\bH(\. ?|-| )I\1V\b/i,
      /\bhuman immuno(- ?| )?deficiency virus/i,
      // Spanish: VIH (virus de la inmunodeficiencia humana), SIDA as written, or lower case as a noun ("tiene sida").
      /\bVIH[12]?\b/i,
      /\bSIDA\b/,
      /\b(el|del|de|tiene|con|padece|diagnostico de|enfermo de) sida\b/i,
      // People living with HIV, highly active / combination antiretroviral therapy, as written ("CART", "cart" and
      // "ART" alone are not: CAR-T therapy, a cart, art).
      /\b(PLWHA?|PLHIV|PLWHIV|HAART|cART)\b/,
      // HIV monitoring: a CD4 count; a viral load unless it names another virus (hepatitis B/C, CMV, EBV...).
      /\bCD4\+?(?:[- ]?T)?(?:[- ]?(?:cell|lymphocyte)s?)? (count|level|number|percent(age)?)s?\b/i,
      pattern(String.raw`(?<!\b(${OTHER_VIRUSES})\b[\w .:/-]{0,20})\bviral loads?\b`,
        String.raw`(?![ :,(/-]{0,3}(of |for |test(ing)? )?(${OTHER_VIRUSES})\b)`),
      /acquired immune ?deficiency/i,
      /\bAIDS\b/, // upper case only: "hearing aids" is not
      // Antiretrovirals by generic name (VSAC "Antiretroviral Medications", FDA HIV drug list). Tenofovir and
      // lamivudine also treat hepatitis B: they are HIV-sensitive all the same (as their RxNorm codes above are),
      // erring on withholding; a hepatitis B note naming them is withheld from callers without the grant.
      medicines('zidovudine', 'lamivudine', 'abacavir', 'tenofovir', 'emtricitabine', 'efavirenz', 'rilpivirine', 'nevirapine'),
      medicines('raltegravir', 'dolutegravir', 'bictegravir', 'elvitegravir', 'cabotegravir', 'darunavir', 'atazanavir', 'lopinavir'),
      medicines('doravirine', 'etravirine', 'delavirdine', 'stavudine', 'didanosine', 'fosamprenavir', 'tipranavir', 'saquinavir'),
      medicines('indinavir', 'nelfinavir', 'maraviroc', 'enfuvirtide', 'fostemsavir', 'ibalizumab', 'lenacapavir', 'islatravir'),
      medicines('cobicistat'),
      // Brand names of antiretroviral and PrEP products (single-tablet regimens, long-acting injectables). Not
      // ritonavir (it boosts nirmatrelvir in Paxlovid) and not Vemlidy (tenofovir alafenamide for hepatitis B only).
      // Misspellings as written in notes, listed exactly (no fuzzy match: an edit distance of one from a brand name
      // is another drug or an ordinary word too often): "Bictarvy", "Truvaada", "Truvda".
      medicines('Bictarvy', 'Truvaada', 'Truvda'),
      medicines('Truvada', 'Descovy', 'Biktarvy', 'Genvoya', 'Stribild', 'Triumeq', 'Dovato', 'Juluca', 'Odefsey', 'Complera'),
      medicines('Atripla', 'Symtuza', 'Cabenuva', 'Apretude', 'Sunlenca', 'Delstrigo', 'Symfi', 'Cimduo', 'Temixys', 'Prezcobix'),
      medicines('Evotaz', 'Isentress', 'Tivicay', 'Edurant', 'Prezista', 'Reyataz', 'Sustiva', 'Epzicom', 'Combivir', 'Trizivir'),
      medicines('Kaletra', 'Selzentry', 'Rukobia', 'Trogarzo', 'Pifeltro', 'Intelence', 'Vocabria', 'Viread', 'Epivir', 'Retrovir'),
      medicines('Ziagen', 'Emtriva', 'Tybost', 'Fuzeon', 'Viramune', 'Aptivus', 'Lexiva', 'Invirase', 'Crixivan', 'Viracept'),
      medicines('Zerit', 'Videx'),
      /\bantir?retroviral/i, // and the Spanish "antirretroviral"
      /\bART regimen\b/i,
      // HIV pre-exposure prophylaxis: "PrEP" as written (upper P and E: "bowel prep", "prep for surgery" are not); not
      // rabies PrEP. Pre-exposure prophylaxis spelled out counts only for HIV ("HIV" answers above) or unqualified.
      /(?<!\b[Rr]abies |\bRABIES )\bPr[Ee]P\b/,
      // Dotted as an acronym, in any case ("Pr.E.P", "P.R.E.P.", "Pr. E. P."): no preparation is written so.
      /(?<!\brabies )\bp\.? ?r\. ?e\.? ?p\b/i,
      // "PREP", "prep" next to what only the HIV medicine has. Not its prescription, meds or copay: a bowel prep has
      // those too ("the prep prescription was sent", "prep copay").
      pattern(NOT_PREP_BEFORE, String.raw`\bprep (refills?|re-?fill|renewal|injections?(?! site)|shots?|clinic|navigator|labs?|`,
        String.raw`lab work|bloodwork|adherence|eligibility)\b`,
        String.raw`(?! (for|before) (\w+ ){0,2}(colonoscopy|endoscopy|surgery|procedure|scan|test|exam)\b)`),
      pattern(String.raw`\b(on|refill(ed|s)?( of| on| for)?|eligible for|candidate for|interested in|enrolled in|`,
        String.raw`counsel\w* (on|about|for)|injectable|long[- ]acting|on[- ]demand|event[- ]driven|2-1-1)`,
        String.raw`( (my|your|his|her|their|the|injectable))? prep(?!\w)`, NOT_PREP_AFTER),
      // The same leads followed by more words ("I'M ON PREP and need labs", "on prep for 2 years", "refill of my
      // PREP and my labs"): counted unless what follows is a preparation's own word ("on prep day", "prep kit") or
      // its sentence names what a bowel or surgical prep is for ("I'm on prep for my colonoscopy tomorrow"), before
      // or after. Any case: "Prep" after "on" is counted too, erring on withholding.
      pattern(String.raw`(?<!\b(${PREP_PROCEDURES})\b[^.!?;]{0,80})`,
        String.raw`\b(on|refill(ed|s)?( of| on| for)?|eligible for|candidate for|interested in|enrolled in|`,
        String.raw`counsel\w* (on|about|for)|injectable|long[- ]acting|on[- ]demand|event[- ]driven|2-1-1)`,
        String.raw`( (my|your|his|her|their|the|injectable))? prep (?=\w)`, NOT_PREP_WORD_AFTER,
        String.raw`(?![^.!?;]{0,80}\b(${PREP_PROCEDURES})\b)`),
      /(?<!\b(rabies|anthrax|mpox|smallpox) )\bpre-?exposure prophylaxis\b(?! (for|against) (rabies|anthrax|mpox|smallpox))/i,
    ],
  },
  {
    category: 'ETH',
    codes: {
      [SNOMED_SYSTEM]: [
        '7200002', // Alcoholism
        '66590003', // Alcohol dependence
        '15167005', // Alcohol abuse
        '55680006', // Drug overdose
        '1149222004', // Overdose
        '6525002', // Dependent drug abuse
        '5602001', // Opioid abuse
        '75544000', // Opioid dependence
        '361055000', // Misuses drugs
        '26416006', // Drug abuse
        '191816009', // Drug dependence
        '10741871000119101', // Alcohol dependence in remission
        '714829008', // Recurrent opioid overdose
        '413473000', // Counseling about alcohol consumption (procedure)
        '24165007', // Alcoholism counseling
        '313071005', // Counseling for substance abuse
      ],
      [LOINC_SYSTEM]: [
        '72109-2', // Alcohol Use Disorder Identification Test - Consumption [AUDIT-C]
        '75626-2', // Total score [AUDIT-C]
        '82666-9', // Drug Abuse Screening Test-10 [DAST-10]
        '82667-7', // Total score [DAST-10]
      ],
      [RXNORM_SYSTEM]: [
        '1819', // buprenorphine
        '352364', // buprenorphine / naloxone
        '6813', // methadone
        '7243', // naltrexone
        '3554', // disulfiram
        '82819', // acamprosate
      ],
    },
    icd10Prefixes: ['F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F18', 'F19', 'T40', 'Z71.4', 'Z71.5'],
    terms: [
      /\balcoholism(o)?\b/i,
      /\b(alcohol|ETOH) (dependence|abuse|use disorder|misuse)/i,
      // Use disorders by abbreviation, as written in upper case: opioid, substance, alcohol (AUD not as the
      // Australian dollar: "AUD 50", "50 AUD", "AUD/USD").
      /\b(OUD|SUD)\b/,
      /(?<![\d$] ?)\bAUD\b(?! ?[$\d]|\/)/,
      // "abuse-deterrent" names a product's formulation, not a disorder.
      /\b(opioid|opiate|cocaine|cannabis|stimulant|drug|substance) (use disorder|dependence|abuse(?![- ]deterrent)|addiction)/i,
      // The same of any substance by name, and an addiction without one: in a clinical text "addiction", "addiction
      // treatment" is substance use, unless it names a habit that is not ("nicotine addiction", "phone addiction").
      pattern(String.raw`\b(${ADDICTIVE}) (use disorders?|dependence|dependency|abuse(?![- ]deterrent)|addictions?|addicts?|habit|`,
        String.raw`misuse|withdrawal|relapse|rehab|rehabilitation|problem|treatment program)\b`),
      pattern(String.raw`(?<!\b(${NOT_SUBSTANCE_ADDICTION})[- ])\baddictions?\b(?! to (${NOT_SUBSTANCE_ADDICTION})\b)`),
      pattern(String.raw`\baddicted to (${ADDICTIVE})\b`),
      // Withdrawal with the substance after it ("withdrawal from opioids", "withdrawing from alcohol", "withdrawals
      // from meth"), and coming or getting off one ("coming off meth"); a withdrawal from an account, a class or
      // a consent names no substance, nor do "coming off my blood pressure meds" or "coming off the pill" (the pill,
      // contraception, is left out of what one comes off).
      pattern(String.raw`\b(withdrawals?|withdrawing|withdrew|withdrawn|w/d) (from|of|off)( (the|my|his|her|their|all|these|those))? `,
        String.raw`(${ADDICTIVE}|booze|dope|suboxone|methadone)\b`),
      pattern(String.raw`\b(com(e|es|ing)|came|get(s|ting)?|got|gotten|kick(s|ed|ing)?) off( (of|the|my|his|her|their|all|these|those))? `,
        String.raw`(?!(the |my )?pill\b)(${ADDICTIVE}|booze|dope|the bottle|suboxone|methadone)\b`),
      /\bdope[- ]?sick(ness)?\b/i,
      // Spanish: withdrawal, detox and rehab of a substance, addiction. "Abstinencia" alone is also abstinence.
      pattern(String.raw`\b(sindrome de )?abstinencia (de|del|al|a la|a las|a los) (alcohol|drogas?|opioides|opiaceos|heroina|cocaina|`,
        String.raw`metanfetaminas?|benzodiacepinas|sustancias|fentanilo)\b`),
      /\brehabilitacion (de|por|para) (drogas|alcohol|alcoholismo|adicci(on|ones)|sustancias|opioides|heroina|cocaina)\b/i,
      /\b(drogadiccion|adiccion (a|al) (las |los )?(drogas|alcohol|opioides|heroina|cocaina|metanfetaminas?|sustancias))\b/i,
      // "Desintoxicacion" alone is the care of a substance (a Spanish message says it of a detox stay), but not a
      // diet, a cleanse or a digital detox.
      pattern(String.raw`(?<!\b(dieta|jugos?|te|batidos?|plan|cura) (de |para )?(la )?)\bdesintoxicacion\b`,
        String.raw`(?! (digital|del higado|hepatica|de(l)? (cuerpo|organismo|azucar|redes|colon|piel)|con jugos?|de jugos?)\b)`),
      /\b(recovering|former|ex-?|active|am an|is an|was an) addicts?\b/i,
      /\bmeth (use|user|users|abuse|psychosis|mouth|pipe|lab|binge|relapse|high)\b/i,
      // Alcohol and substance counselling (care plan activities, procedures) is ETH.
      /\b(alcohol|substance|drug)\b[\w ]{0,30}\bcounsel/i,
      /\bcounsel\w* (about|for|on|regarding) (alcohol|substance|drug)/i,
      /\bAUDIT[- ]?C\b/i,
      /\bDAST(?:[- ]?\d+)?\b/,
      /\b(drug )?overdos(e|ed|es|ing)\b/i,
      // "OD'd", "OD'ed", "ODed"; "OD on heroin" ("OD" alone is the right eye).
      /\bOD(?:'?e?d)\b/,
      pattern(String.raw`\bOD (on|from) (${SUBSTANCES}|tylenol|acetaminophen)\b`),
      // Crack as smoked or used, not a crack in skin, a tooth or a wall.
      /\b(smok\w*|us(e|es|ed|ing)|buy\w*|bought|sell\w*|snort\w*|inject\w*|hits? of|rocks? of) crack\b(?!ed\b|[- ](in|on|of|the|open|down|filler))/i,
      /\bcrack (pipe|use|user|users|addiction|habit|den|smoking)\b/i,
      /\bmisuses drugs\b/i,
      medicines('buprenorphine', 'methadone', 'naltrexone', 'disulfiram', 'acamprosate', 'Suboxone'),
      // MOUD / alcohol use disorder products by brand (Narcan is not: naloxone goes with every opioid prescription).
      medicines('Sublocade', 'Brixadi', 'Zubsolv', 'Bunavail', 'Subutex', 'Vivitrol', 'Antabuse', 'Campral', 'Lucemyra', 'lofexidine'),
      // Mutual-help groups: "AA"/"NA" as written, next to what makes them the fellowship ("AAA", "AA battery",
      // "NA" for not applicable are not).
      /\b(AA|NA|A\.A\.?|N\.A\.?)( meetings?| groups?| sponsors?| chips?| program| 12[- ]step| MEETINGS?| GROUPS?| SPONSORS?| CHIPS?| PROGRAM)\b/,
      /\b([Aa]ttend(s|ed|ing)?|[Gg]o(es|ing)? to|[Ww]ent to|[Ss]tarted|[Bb]ack in|[Jj]oined) (AA|NA|A\.A\.|N\.A\.)(?!\w)/,
      /\b(alcoholics|narcotics|cocaine) anonymous\b/i,
      // Spanish: the fellowships, the drugs, their use and disorders.
      /\b(alcoholicos|narcoticos) anonimos\b/i,
      /\b(heroina|cocaina|metanfetaminas?)\b/i,
      /\bconsumo de (drogas|heroina|cocaina|crack|metanfetaminas?|sustancias|opioides|opiaceos)\b/i,
      /\b(abuso|dependencia) (de|del) (alcohol|drogas|sustancias|opioides|cocaina|heroina)\b/i,
      /\btrastorno por (uso|consumo) de (alcohol|sustancias|opioides|drogas)\b/i,
      /\b12[- ]step (program|meeting|group)/i,
      // Drinking in the sense of alcohol, never of water or fluids ("drinking water", "drinking fluids", "a cup for
      // drinking"): by what qualifies it.
      /\b(binge|heavy|problem|excessive|hazardous|harmful|compulsive|uncontrolled|secret|daytime|morning) drinking\b/i,
      /\bdrinking (problem|habit|binges?|heavily|relapse|to cope)\b/i,
      pattern(String.raw`\bdrinking too much\b(?! (${BEVERAGES}))`),
      pattern(String.raw`(?<!\b(cups?|straws?|bottles?|glass|water|safe|fit|suitable|unfit|unsafe|ok|okay) )`, String.raw`\bfor drinking\b`,
        String.raw`(?! (${BEVERAGES}|from|through|out of))`),
      pattern(String.raw`\b(relaps\w*|resumed|back to|started|stopp?ed|quit|quitting|cut(ting)? (down|back) on) (on )?(drinking|alcohol)\b`,
        String.raw`(?! (${BEVERAGES}|enough|more|plenty|from|through|out))`),
      /\b(alcohol(ic)?|ethanol|ETOH) (withdrawal|intoxication|relapse|binge|misuse)\b/i,
      /\bdelirium tremens\b/i,
      /(?<!\bnon[- ]?)\balcoholic (liver|cirrhosis|hepatitis|pancreatitis|ketoacidosis|cardiomyopathy|neuropathy)\b/i,
      /\b(an|is an?|recovering|functional) alcoholic\b(?! (beverages?|drinks?|content|fermentation|solution|extract))/i,
      /\bsobriety\b/i,
      // Illicit drugs are named by what they are; fentanyl only with misuse (it is an anaesthetic and a patch too).
      /\b(heroin|crack cocaine|cocaine|methamphetamine|crystal meth|speedball)\b/i,
      /\b(using|smoking|snorting|injecting|shooting|on|uses|used) meth\b/i,
      /\b(street|illicit|illegal|non-?prescribed|bootleg) (fentanyl|opioids?|opiates?|pills|benzos?|xanax|oxy\w*)\b/i,
      /\bfentanyl[- ](misuse|abuse|use disorder|overdose|addiction|dependence|laced|test strips?|use)\b/i,
      /\b(misus\w*|abus\w*|snort\w*|smok\w*|inject\w*|buy\w*|bought|using) fentanyl\b/i,
      /\b(IVDU|IVDA|PWID)\b/,
      /\b(injection|intravenous|IV|recreational|illicit) drug use/i,
      // Relapse on a substance (a relapse of a cancer or of multiple sclerosis is not).
      pattern(String.raw`\brelaps\w* (on|into|to|with|using)? ?(${SUBSTANCES})\b`),
      // Detox and rehab for a substance ("cardiac rehab", "rehab after knee surgery", "detox tea" are not).
      pattern(String.raw`\b(drug|alcohol|substance|addiction|opioid|opiate|heroin|chemical dependency) `,
        String.raw`(rehab|rehabilitation|de-?tox|treatment (program|center|centre))`),
      pattern(String.raw`\b(rehab|rehabilitation|de[- ]?tox(ing|ed|es)?|de-?toxification) (for|from|off) (${SUBSTANCES}|addiction)\b`),
      // Detox as an episode of care needs no named substance ("admitted for detox", "the invoice for my detox stay",
      // "de-tox unit"): a detox that is a diet, a cleanse or a habit is not ("detox tea", "juice detox", "digital
      // detox", "liver detox program", "detox from sugar").
      pattern(NOT_SUBSTANCE_DETOX_BEFORE, String.raw`\b${DETOX} (stays?|admissions?|admit|unit|program|programme|center|centre|facility|`,
        String.raw`ward|beds?|clinic|hospital|treatment|protocol|services?|nurse|meds|medications?|intake|discharge|bill|invoice|`,
        String.raw`charges?|costs?|fees?|coverage|claim|stint|placement)\b`),
      pattern(String.raw`\b(admit\w*|admission|went|go|goes|going|gone|been|sent|send|referr\w*|refer|checked|checking|check|`,
        String.raw`entered|entering|enter|complet\w*|finish\w*|left|leaving|discharg\w*|stay\w*|during|after|since|in|into|out of|`,
        String.raw`bills?|billed|billing|invoices?|charges?|costs?|payment|paid|coverage|covered|claim|copay)`,
        String.raw`( (to|for|into|in|at|from|of|out of))?( (a|an|the|my|his|her|their|your|our|this|that))?`,
        String.raw`( (medical|medically supervised|inpatient|outpatient|residential|hospital|ambulatory|social))? ${DETOX}\b`,
        NOT_SUBSTANCE_DETOX_AFTER),
      pattern(String.raw`\b(medical|inpatient|outpatient|residential|medically supervised) ${DETOX}\b`, NOT_SUBSTANCE_DETOX_AFTER),
    ],
  },
  {
    category: 'PSY',
    codes: {
      [SNOMED_SYSTEM]: [
        '36923009', // Major depression, single episode
        '370143000', // Major depressive disorder
        '35489007', // Depressive disorder
        '191736004', // Recurrent major depressive episodes
        '47505003', // Posttraumatic stress disorder
        '197480006', // Anxiety disorder
        '73595000', // Stress (finding): Synthea records it from its mental-health screening
        '192127007', // Child attention deficit disorder
        '58214004', // Schizophrenia
        '13746004', // Bipolar disorder
        '86849004', // Suicidal poisoning
        '287185009', // Attempted suicide by cutting or stabbing
        '287182007', // Attempted suicide by suffocation
        '6471006', // Suicidal thoughts
      ],
      [RXNORM_SYSTEM]: [
        '36437', // sertraline
        '4493', // fluoxetine
        '2556', // citalopram
        '321988', // escitalopram
        '51272', // quetiapine
        '89013', // aripiprazole
        '35636', // risperidone
        '2626', // clozapine
        '5093', // haloperidol
      ],
      [LOINC_SYSTEM]: [
        '44249-1', // PHQ-9 quick depression assessment panel
        '44261-6', // Patient Health Questionnaire 9 item (PHQ-9) total score
        '55757-9', // Patient Health Questionnaire 2 item (PHQ-2) [Reported]
        '55758-7', // Patient Health Questionnaire 2 item (PHQ-2) total score
        '69737-5', // Generalized anxiety disorder 7 item (GAD-7)
        '70274-6', // Generalized anxiety disorder 7 item (GAD-7) total score
      ],
    },
    icd10Prefixes: [
      'F20',
      'F21',
      'F22',
      'F23',
      'F24',
      'F25',
      'F28',
      'F29',
      'F30',
      'F31',
      'F32',
      'F33',
      'F34',
      'F39',
      'F40',
      'F41',
      'F42',
      'F43',
      'F44',
      'F45',
      'F48',
      'F50',
      'F60',
      'F63',
      'F64',
      'F68',
      'F69',
      'F90',
      'F91',
      'F93',
      'F94',
      'F95',
      'F98',
      'F99',
      'R45.851',
      'T14.91',
    ],
    terms: [
      /\b(major )?depressi(on|ve) (disorder|episode)/i,
      /\bmajor depression\b/i,
      /\bMDD\b/,
      // Suicidal ideation with a plan or intent, as abbreviated ("SI with plan", "SI w/ plan", "SI w/plan").
      /\bSI (with |w\/ ?|w )(a )?(plan|intent)\b/,
      // Spanish ("ideacion suicida" is matched by "suicid" below).
      /\b(depresion mayor|trastorno depresivo|esquizofrenia|trastorno de estres postraumatico)\b/i,
      // Depression alone, as in English below; not a respiratory, marrow or ST-segment depression, nor a tropical one
      // (the weather: "depresion tropical").
      /\bdepresion\b(?! (respiratoria|medular|del (segmento )?ST|tropical|atmosferica|barometrica)\b)/i,
      /\bpsiquiatr(a|as|ia|ico|ica|icos|icas)\b/i,
      /\b(psicolog[oa]s?|psicoterap\w*)\b/i,
      // Anxiety under care, not a worry ("tengo ansiedad por la factura" is "anxious about the bill").
      pattern(String.raw`\b(tengo|tiene|tienes|tenia|padezco|padece|sufro de|sufre de|diagnosticad[oa] con|trastorno de|`,
        String.raw`tratamiento (de|para|contra)( la)?|medicamentos? (de|para|contra)( la)?|medicinas? para( la)?|pastillas para( la)?|`,
        String.raw`terapia (de|para)( la)?|crisis de|ataques? de) (ansiedad|panico)\b`,
        String.raw`(?! (por|sobre|acerca|antes|de que|con|ante|cuando)\b)`),
      // Depression as a reason ("Sertraline 100mg for depression"), not an ECG, respiratory or marrow finding.
      // A screening without a result ("Depression screening", done for every adult) is not; its scored instrument is.
      /(?<!\b(ST|segment|respiratory|marrow|CNS|myocardial|ventricular|ventilatory)[- ])\bdepression\b(?![- ]screen)/i,
      /\bdepressed mood\b/i,
      /\b(PHQ|patient health questionnaire)[- ]?(2|9|A)?\b/i,
      /\b(GAD[- ]?7|generalized anxiety)\b/i,
      /\b(posttraumatic|post-traumatic) stress\b/i,
      /\bPTSD\b/,
      /\banxiety disorder\b/i,
      /\bschizo(phreni|affective)/i,
      /\bbipolar\b/i,
      /\bsuicid/i,
      /\bself[- ]harm/i,
      /\b(psychosis|psychotic)\b/i,
      /\battention deficit\b/i,
      /\bADHD\b/,
      /\b(anorexia nervosa|bulimia|eating disorder)\b/i,
      // Psychiatric care: psychiatry and the psychiatrist, a psychiatric or "psych" ward, hospital, evaluation or hold,
      // an involuntary hold by its statute (5150, Baker Act), psychotherapy and the psychologist. Not "psychology
      // class", "Psych 101", "psyched", nor a neuropsychological test; "Psychiatric:" alone (a review-of-systems
      // heading) neither.
      // A hyphen or a space inside the word is the same word ("psy-chiatrist", "psychi-atric ward": breakable).
      pattern(String.raw`\b(${broken('psychiatry', 'psychiatrist', 'psychiatrists')})\b`),
      pattern(String.raw`\b(${broken('psychiatric')})[- ](${PSY_CARE})\b`),
      pattern(String.raw`\bpsych[- ](${PSY_CARE})\b`),
      /\b(inpatient|outpatient|involuntary|voluntary|acute|emergency) psych(iatric)?\b/i,
      /\b((on|under|placed on) an? 5150|5150 hold|Baker[- ]Act(ed)?)\b/i,
      pattern(String.raw`\b(${broken('psychotherapy', 'psychotherapies', 'psychotherapist', 'psychotherapists', 'psychotherapeutic')})\b`),
      pattern(String.raw`\b(${broken('psychologist', 'psychologists')})\b`),
      // Where the mind is cared for, by its old names too ("the mental hospital", "a mental institution"), and what is
      // done there: an involuntary commitment, electroconvulsive therapy (ECT: as an abbreviation with what makes it
      // a treatment, since "ect" is a common typing of "etc."), transcranial magnetic stimulation (TMS as a therapy;
      // "TMS" alone is also tandem mass spectrometry).
      /\b(mental|psychiatric|insane) (hospitals?|institutions?|institutes?|asylums?|wards?|homes?)\b/i,
      /\b(involuntar(y|ily)|civil(ly)?|psychiatric(ally)?) commit(ment|ments|ted)\b/i,
      /\binvoluntary (hold|admission|hospitali[sz]ation|psychiatric)\b/i,
      /\b(committed|commit) (to|into) (an? |the )?(psych|psychiatric|mental|state hospital|asylum)\b/i,
      /\belectro-?convulsive\b|\belectro-?shock\b|\bshock (therapy|treatments?)\b/i,
      pattern(String.raw`\b(my|an|the|of|for|had|has|have|having|get|getting|got|start\w*|receiv\w*|undergo\w*|underwent|`,
        String.raw`maintenance|inpatient|outpatient|s/p|post|after|before|weekly|acute|course of|series of|rounds? of) ECT\b`),
      pattern(String.raw`\bECT (treatments?|sessions?|therapy|course|series|appointments?|appt|consult\w*|bills?|invoices?|`,
        String.raw`charges?|procedures?|anesthesia|anaesthesia|for (depression|catatonia|mania|bipolar))\b`),
      /\btranscranial magnetic stimulation\b/i,
      /\b(r|d|deep )?TMS (therapy|treatments?|sessions?|course|series|appointments?|appt|consult\w*|for depression|bills?|invoices?)\b/i,
      /\b(rTMS|dTMS)\b/,
      pattern(String.raw`\b(mental|behaviou?ral) health (${PSY_CARE}|counsel\w*|struggles|concerns|professional|worker|support)\b`),
      // Anxiety as a condition under care, not a worry ("anxious about the bill", "anxiety about surgery").
      /\banxiety (treatment|meds|medications?|medicines?|therapy|disorder|attacks?|clinic|counsel\w*|diagnosis|episodes?)\b/i,
      pattern(String.raw`\b(have|has|had|with|diagnosed with|history of|hx of|struggl\w* with|suffer\w* from|treated for|`,
        String.raw`treatment for|therapy for|meds for|medications? for|medicines? for|prescribed for|seeing someone for)`,
        String.raw`( (severe|chronic|generalized|social|bad|really bad|my))? anxiety\b`,
        String.raw`(?! (about|over|before|regarding|around|for|when|during|with|at|from)\b)`),
      /\bpanic (attacks?|disorder)\b/i,
      // Obsessive-compulsive disorder; "OCD" also writes osteochondritis dissecans ("OCD lesion of the talus"), so the
      // abbreviation counts with what treats or describes the disorder.
      /\bobsessive[- ]compulsive\b/i,
      /\bOCD (therapy|treatment|meds|medications?|symptoms|diagnosis|ERP|exposure|behaviou?rs?|thoughts|rituals|compulsions|flare\w*)\b/i,
      /\b(diagnosed with|treated for|treatment for|therapy for|meds for|medication for|struggl\w* with|suffer\w* from|my|severe) OCD\b/i,
      // Eating disorders: anorexia as the disorder, not the symptom ("anorexia, nausea", "cancer anorexia").
      /\banorexi(a|c) (treatment|recovery|relapse|program|clinic|center|centre|unit|therapy|diagnosis)\b/i,
      /\b(diagnosed with|treated for|treatment for|therapy for|recover\w* from|struggl\w* with|suffer\w* from|history of|hx of) anorexia\b/i,
      /\b(binge[- ]eating disorder|ARFID)\b/i,
      // Other disorders of the listed ICD-10 chapter by name (F30 mania, F44 dissociative, F60 personality, F63
      // gambling, F64 gender dysphoria, F95 Tourette).
      /\b(personality disorder|borderline personality|dissociative (disorder|identity)|(hypo)?mania|(hypo)?manic episode)\b/i,
      /\b(gambling (addiction|disorder|problem)|problem gambling|compulsive gambling|pathological gambling|gender dysphoria)\b/i,
      /\b(Tourette'?s?( syndrome)?)\b/i,
      ...PSY_MEDICINES,
    ],
  },
  {
    category: 'STD',
    codes: {
      [SNOMED_SYSTEM]: [
        '15628003', // Gonorrhea
        '76272004', // Syphilis
        '105629000', // Chlamydial infection
        '33839006', // Genital herpes simplex
      ],
    },
    icd10Prefixes: ['A50', 'A51', 'A52', 'A53', 'A54', 'A55', 'A56', 'A57', 'A58', 'A59', 'A60', 'A63', 'A64', 'Z20.2', 'Z11.3'],
    terms: [
      // Chlamydia trachomatis, not the respiratory C. pneumoniae or C. psittaci.
      /\bchlamydi(a|al)\b(?! (pneumoniae?|psittaci)\b)/i,
      /\bclamidia\b/i,
      /\b(syphili(s|tic)|sifilis|treponemal?|VDRL|lues)\b/i,
      /\b(gonorrh?o?eae?|gonorrea|gonococ\w*)\b/i,
      /\btrichomon(iasis|as)\b/i,
      /\b(chancroid|lymphogranuloma venereum|granuloma inguinale|mycoplasma genitalium)\b/i,
      // Herpes of the genitals (not zoster, not a cold sore).
      /\b(genital|anogenital|vulvar|vaginal|penile|perianal) (herpes|HSV)\b/i,
      /\bherpes (genitalis|progenitalis)\b/i,
      /\b(sexually transmitted|venereal) (infections?|diseases?|disorders?|infectious diseases?)\b/i,
      /\binfecci(on|ones) de transmision sexual\b/i,
      // "STI"/"STD" only as a sexually transmitted infection: soft tissue injury, short-term disability and standard
      // deviation are written so too.
      /\b(STI|STD)s?( screen\w*| test\w*| panel| check| clinic| exposure| treatment| symptoms| history| prophylaxis| positive)\b/,
      /\b(tested|treated|screen(ed|ing)?|exposure|exposed|positive|history|hx|risk) (for|to|of) (an? )?(STI|STD)s?\b/i,
    ],
  },
  {
    category: 'SDV',
    codes: {},
    icd10Prefixes: ['T74', 'T76', 'Y07', 'Z04.4', 'Z69', 'Z91.41', 'Z62.81'],
    terms: [
      // Abuse and violence between people; a routine screening without a finding ("IPV screening negative", offered
      // to every adult woman) is not, as a depression screening is not.
      /(?<!\bscreen(ing|ed)? (for|of) )\b(domestic|family|intimate[- ]partner|dating|spousal|partner) (violence|abuse)\b(?![- ]screen)/i,
      /\bsexual(ly)? (assault\w*|abus\w*|violence|exploitation|coercion)\b/i,
      /\b(rape|raped|rape kit|SANE exam|sexual assault nurse)\b/i,
      /\b(child|elder|physical|emotional) abuse\b(?![- ]screen)/i,
      /\b(hit|beaten|beats|beat|strangled|choked|kicked|punched|threatened|abused) by (her|his|their|my) (partner|husband|wife|boyfriend|girlfriend|spouse|ex)\b/i,
      /\b(human|sex) trafficking\b/i,
      /\b(violencia (domestica|de genero|intrafamiliar|de pareja)|agresion sexual|abuso sexual)\b/i,
    ],
  },
  {
    category: 'SEX',
    codes: {},
    icd10Prefixes: ['O04', 'O07', 'Z33.2'],
    terms: [
      // Induced abortion. A pregnancy loss ("spontaneous abortion", "missed abortion", "threatened abortion", O03) is
      // not in the governed set; "abortive" migraine therapy and an "aborted" procedure are other words.
      /(?<!\b(spontaneous|missed|threatened|habitual|recurrent|inevitable|recurrent spontaneous) )\babortions?\b/i,
      /\b(termination of (a )?pregnancy|pregnancy termination|abortion pill)\b/i,
      /\b(elective|induced|voluntary|medical|medication|surgical) termination\b/i,
      /\baborto\b(?! espontaneo)/i,
      /\binterrupcion (voluntaria )?del embarazo\b/i,
    ],
  },
];

/**
 * What numbers an invoice, a claim, an account, an order or a reference rather than a diagnosis: a code-looking token
 * right after one of them ("invoice number F32.9", "claim no. F329", "account F11 20 balance", "invoice B20 wrong
 * amount") or after "#" ("#F32.9", "# B20") is an identifier. Only right after: "invoice for my F32.9 visit" and "Dx:
 * F32.9" are codes.
 */
const NOT_AN_IDENTIFIER = String.raw`(?<!(\b(invoice|inv|claim|account|acct|order|reference|ref|confirmation|conf|member|`
  + String.raw`policy|ticket|case|tracking|transaction|receipt|statement|bill|billing|authori[sz]ation|auth|payment|check|cheque)`
  + String.raw`( (number|num|nr|no|id|code))?\.?:? ?|#:? ?))`;
/**
 * An ICD-10 code written in free text ("Dx: F32.9", "F329", "B20", "z71.41") whose category the set lists by prefix,
 * so a code in a note answers as the same code in a coding does. A code token is a letter, two digits and an
 * optional part (with or without its dot) standing alone: not inside a word, a number or a hyphenated token ("XF32",
 * "3B20", the "f32b" of a UUID), and "B2" or "B12" are no codes of these prefixes.
 */
function icd10CodeTerm(prefixes: readonly string[]): RegExp | null {
  if (prefixes.length === 0) return null;
  const alternatives = prefixes.map((p) => {
    const [category, sub] = p.split('.') as [string, string | undefined];
    // "F32" takes any subdivision ("F32.9", "F329", "F32.A"); "B97.35" only its own and below ("B9735", "B97.351").
    return sub === undefined ? `${category}(?:\\.?[0-9A-Z]{1,4})?` : `${category}\\.?${sub}[0-9A-Z]{0,${Math.max(0, 4 - sub.length)}}`;
  });
  return new RegExp(`${NOT_AN_IDENTIFIER}(?<![\\w.-])(?:${alternatives.join('|')})(?![\\w-]|\\.\\w)`, 'i');
}

/** The value sets, each with its ICD-10 prefixes also matched as codes written in free text (icd10CodeTerm). */
export const VALUE_SETS: readonly CategoryValueSet[] = SETS.map((set) => {
  const code = icd10CodeTerm(set.icd10Prefixes);
  return code ? { ...set, terms: [...set.terms, code] } : set;
});

/**
 * Security labels that make a record sensitive, whatever its codes say (https://hl7.org/fhir/R4/security-labels.html).
 * Finer ActCode labels map onto the categories; restricted and very restricted confidentiality
 * (https://terminology.hl7.org/CodeSystem-v3-Confidentiality.html) count as sensitive without a category of their own.
 */
export const ACT_CODE_LABELS: Readonly<Record<string, SensitivityCode>> = {
  HIV: 'HIV',
  ETH: 'ETH',
  SUD: 'ETH',
  OPIOIDUD: 'ETH',
  PSY: 'PSY',
  MH: 'PSY',
  BH: 'PSY',
  PSYTHPN: 'PSY',
  STD: 'STD',
  SDV: 'SDV',
  SEX: 'SEX',
};

export const RESTRICTED_CONFIDENTIALITY: readonly string[] = ['R', 'V'];
