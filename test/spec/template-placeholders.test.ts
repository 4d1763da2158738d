import { describe, expect, it } from 'vitest';
import { placeholdersOf, renderTemplate } from '../../spec/template-placeholders.js';

// The `{{name}}` template language, the one grammar governance validates a proposed template with and the messaging
// connector renders it with: a placeholder is `{{`, optional whitespace, a letter then letters, digits or `_`,
// optional whitespace, `}}`; anything else is text.

const NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

describe('template placeholders', () => {
  it('finds a placeholder in every shape of brace, name and spacing exactly when the name is one', () => {
    const names = ['a', 'name', 'first_name', 'A1', '1a', '_a', 'a-b', 'a.b', ''];
    for (const n of names) {
      const ok = NAME.test(n);
      const want = ok ? [n] : [];
      expect(placeholdersOf(`{{${n}}}`), n).toEqual(want);
      expect(placeholdersOf(`{{ ${n} }}`), n).toEqual(want);
      expect(placeholdersOf(`{{\t${n}\n}}`), n).toEqual(want);
      expect(placeholdersOf(`{${n}}`), n).toEqual([]);
      expect(placeholdersOf(`{{{${n}}}}`), n).toEqual(want);
      expect(placeholdersOf(`{{${n}}`), n).toEqual([]);
      expect(placeholdersOf(`{{ ${n}}} {{${n}}}`), n).toEqual(want);
    }
  });

  it.each([
    ['', []],
    ['no placeholders', []],
    ['Hello {{name}}, your {{ item }} is ready {{name}}.', ['name', 'item']],
  ])('%j has %j', (body, want) => {
    expect(placeholdersOf(body)).toEqual(want);
  });

  it('what validation finds is exactly what rendering needs filled', () => {
    const body = 'Dear {{ name }}, {{item}} on {{date}}.';
    const missing = renderTemplate(body, {});
    expect(missing.ok ? [] : [...missing.missing].sort()).toEqual(placeholdersOf(body).sort());
    expect(renderTemplate(body, { name: 'Ann', item: 'your test', date: 'Monday' })).toEqual({
      ok: true,
      text: 'Dear Ann, your test on Monday.',
    });
  });

  it('renders a value as text: blank is missing, CR/LF cannot add lines', () => {
    expect(renderTemplate('Hi {{name}}', { name: '  ' })).toEqual({ ok: false, missing: ['name'] });
    expect(renderTemplate('Hi {{name}}', { name: 'a\r\nBcc: x@y\nz' })).toEqual({ ok: true, text: 'Hi a Bcc: x@y z' });
  });
});
