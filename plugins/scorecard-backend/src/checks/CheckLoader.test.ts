import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { CatalogFactProvider } from '../facts/CatalogFactProvider';
import { CheckLoader, LoadedChecks } from './CheckLoader';

const facts = new Map(new CatalogFactProvider().facts.map(f => [f.name, f]));

const check = (
  id: string,
  rule = '{ fact: catalog.hasDescription, equals: true }',
) => `
  - id: ${id}
    title: ${id}
    description: A check.
    level: bronze
    rule: ${rule}
    fix: { text: Fix it. }`;

describe('CheckLoader', () => {
  let dir: string;
  let loader: CheckLoader;
  const logger = mockServices.logger.mock();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecards-'));
    loader = new CheckLoader({
      directory: dir,
      label: 'scorecards',
      facts,
      logger,
      debounceMs: 20,
    });
  });

  afterEach(() => {
    loader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, ...checks: string[]) =>
    fs.writeFileSync(path.join(dir, name), `checks:${checks.join('')}\n`);

  it('loads every check file, and reports a bad one with its file and line while the others load', async () => {
    write('catalog.yaml', check('has-description'), check('owned'));
    write(
      'broken.yaml',
      check('typo', '{ fact: catalog.hasDescriptoin, equals: true }'),
      check('fine'),
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a check file');

    const { checks, problems } = await loader.load();

    expect(checks.map(c => c.id)).toEqual(['fine', 'has-description', 'owned']);
    expect(problems).toEqual([
      {
        file: 'scorecards/broken.yaml',
        line: 6,
        message:
          'check typo: rule.fact: unknown fact "catalog.hasDescriptoin" (did you mean "catalog.hasDescription"?)',
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('scorecards/broken.yaml:6'),
      { file: 'scorecards/broken.yaml', line: 6 },
    );
  });

  it('refuses a check whose fix link is a script or whose pattern can backtrack exponentially, naming the file, check and pattern', async () => {
    write(
      'unsafe.yaml',
      check('scripted').replace(
        '{ text: Fix it. }',
        '{ text: Fix it., link: "javascript:alert(1)" }',
      ),
      check('nested', "{ fact: catalog.ownerKind, matches: '(x+)+y' }"),
      check('fine'),
    );

    const { checks, problems } = await loader.load();

    expect(checks.map(c => c.id)).toEqual(['fine']);
    expect(problems.map(p => `${p.file}: ${p.message}`)).toEqual([
      expect.stringMatching(
        /^scorecards\/unsafe\.yaml: check scripted: fix\.link: "javascript:alert\(1\)" is not a link/,
      ),
      expect.stringMatching(
        /^scorecards\/unsafe\.yaml: check nested: rule\.matches: the pattern "\(x\+\)\+y" repeats a group/,
      ),
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('scorecards/unsafe.yaml'),
      expect.anything(),
    );
  });

  it('reports a duplicate id as a problem and keeps the first', async () => {
    write('a.yaml', check('owned'));
    write('b.yaml', check('other'), check('owned'));

    const { checks, problems } = await loader.load();

    expect(checks.map(c => `${c.id}@${c.source.file}`)).toEqual([
      'owned@scorecards/a.yaml',
      'other@scorecards/b.yaml',
    ]);
    expect(problems).toEqual([
      {
        file: 'scorecards/b.yaml',
        line: 8,
        message:
          'check owned: duplicate id, already defined at scorecards/a.yaml:2',
      },
    ]);
  });

  it('loads nothing, and says why, when the folder does not exist', async () => {
    const missing = new CheckLoader({
      directory: path.join(dir, 'missing'),
      facts,
      logger,
    });
    expect(await missing.load()).toEqual({ checks: [], problems: [] });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('No check files'),
    );
  });

  it('reloads when a file changes, and a deleted file’s checks go away', async () => {
    write('a.yaml', check('first'));
    write('b.yaml', check('second'));
    await loader.load();
    const changes: LoadedChecks[] = [];
    let notify = () => {};
    loader.watch(loaded => {
      changes.push(loaded);
      notify();
    });
    const nextChange = () =>
      new Promise<LoadedChecks>(resolve => {
        notify = () => resolve(changes[changes.length - 1]);
      });

    let change = nextChange();
    write('a.yaml', check('first'), check('added'));
    expect((await change).checks.map(c => c.id)).toEqual([
      'first',
      'added',
      'second',
    ]);

    change = nextChange();
    fs.rmSync(path.join(dir, 'b.yaml'));
    expect((await change).checks.map(c => c.id)).toEqual(['first', 'added']);
    expect(loader.current.checks.map(c => c.id)).toEqual(['first', 'added']);
  });
});
