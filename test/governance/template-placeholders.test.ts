import { describe, expect, it } from 'vitest';
import { placeholdersOf as connectorPlaceholders, renderTemplate } from '../../connectors/messaging/template-render.js';
import { placeholdersOf as governancePlaceholders } from '../../src/governance/template-placeholders.js';

// Governance validates a proposed template with its own statement of the `{{name}}` grammar (it imports nothing of
// connectors); the connector renders with its own. A placeholder one side sees and the other does not would let a
// template pass validation and then fail (or leak `{{...}}`) when sent: the two must read every template alike.

describe('template placeholders, connector side and governance side', () => {
  it('find the same placeholders in every shape of brace, name and spacing', () => {
    const names = ['a', 'name', 'first_name', 'A1', '1a', '_a', 'a-b', 'a.b', ''];
    const shapes = (n: string) => [`{{${n}}}`, `{{ ${n} }}`, `{{\t${n}\n}}`, `{${n}}`, `{{{${n}}}}`, `{{${n}}`, `{{ ${n}}} {{${n}}}`];
    const bodies = ['', 'no placeholders', 'Hello {{name}}, your {{ item }} is ready {{name}}.', ...names.flatMap(shapes)];
    for (const body of bodies) expect(governancePlaceholders(body), body).toEqual(connectorPlaceholders(body));
  });

  it('what governance finds is exactly what rendering needs filled', () => {
    const body = 'Dear {{ name }}, {{item}} on {{date}}.';
    const missing = renderTemplate(body, {});
    expect(missing.ok ? [] : [...missing.missing].sort()).toEqual(governancePlaceholders(body).sort());
  });
});
