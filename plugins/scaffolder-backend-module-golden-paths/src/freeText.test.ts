import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { FREE_TEXT_MAX_LENGTH, freeTextProblem, linkProblem } from './freeText';

const templatesDir = path.resolve(__dirname, '../../../templates');

type Property = {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  'ui:field'?: string;
};

describe('free text in golden paths', () => {
  it('names the field and both lengths, without quoting the text', () => {
    const problem = freeTextProblem('description', 'x'.repeat(5000));
    expect(problem).toBe(
      `description: 5000 characters, at most ${FREE_TEXT_MAX_LENGTH} are taken`,
    );
    expect(freeTextProblem('description', 'Refunds card payments')).toBe(
      undefined,
    );
    expect(freeTextProblem('description', undefined)).toBe(undefined);
    expect(freeTextProblem('description', { a: 1 })).toBe(
      'description: must be text',
    );
  });

  it('takes only http(s) links with nothing a browser would rewrite, bounded like free text', () => {
    const refused = 'docsUrl: must be a link starting with http:// or https://';
    expect(linkProblem('docsUrl', 'https://docs.example.com/a?b=c#d')).toBe(
      undefined,
    );
    expect(linkProblem('docsUrl', undefined)).toBe(undefined);
    expect(linkProblem('docsUrl', '')).toBe(undefined);
    for (const link of [
      'data:text/html,<b>x</b>',
      'ftp://files.example.com/runbook',
      'docs.example.com',
      'https://docs.example.com/a b',
      'https://docs.example.com/\tx',
      'https:\\\\evil.example.com',
    ]) {
      expect([link, linkProblem('docsUrl', link)]).toEqual([link, refused]);
    }
    const long = `https://x.example/${'a'.repeat(300)}`;
    expect(linkProblem('docsUrl', long)).toBe(
      `docsUrl: ${long.length} characters, at most ${FREE_TEXT_MAX_LENGTH} are taken`,
    );
  });

  // The scaffolder checks a run's values against the template's schema when
  // the run starts; a free-text field without maxLength would be unbounded.
  it('is bounded in every template, no higher than the actions take', () => {
    const unbounded: string[] = [];
    const templates = fs
      .readdirSync(templatesDir, { withFileTypes: true })
      .filter(entry => entry.isDirectory());
    expect(templates.length).toBeGreaterThan(0);
    for (const entry of templates) {
      const template = yaml.parse(
        fs.readFileSync(
          path.join(templatesDir, entry.name, 'template.yaml'),
          'utf8',
        ),
      );
      for (const page of template.spec.parameters) {
        for (const [key, property] of Object.entries<Property>(
          page.properties ?? {},
        )) {
          const freeText =
            property.type === 'string' &&
            !property.enum &&
            !property.pattern &&
            !property['ui:field'];
          if (
            freeText &&
            !(
              property.maxLength !== undefined &&
              property.maxLength <= FREE_TEXT_MAX_LENGTH
            )
          ) {
            unbounded.push(`${entry.name}: ${key}`);
          }
        }
      }
    }
    expect(unbounded).toEqual([]);
  });
});
