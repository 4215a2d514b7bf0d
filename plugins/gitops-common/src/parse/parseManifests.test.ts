import { manifestFileContents } from '../yaml';
import {
  builtDatabaseClaim,
  builtJob,
  builtService,
} from './__testUtils__/builtManifests';
import { parseManifestFile, parseManifestFiles } from './parseManifests';

describe('parseManifestFiles', () => {
  it('reads back exactly the objects buildServiceManifests, buildJobManifests and buildClaim write', () => {
    const built = [
      ...builtService({
        system: 'checkout-system',
        env: { LOG_LEVEL: 'info' },
        secrets: [{ env: 'STRIPE_API_KEY', key: 'payments/stripe' }],
        callers: [{ namespace: 'orders', app: 'order-service' }],
        ingressHost: 'payments.example.com',
        newNamespace: true,
      }),
      ...builtJob({ command: ['/app/export'] }),
      ...builtDatabaseClaim(),
    ];

    const parsed = parseManifestFiles(manifestFileContents(built));

    expect(parsed.problems).toEqual([]);
    expect(parsed.otherFiles).toEqual([]);
    expect(
      parsed.objects.map(o => ({ path: o.path, object: o.object })),
    ).toEqual(built);
    expect(parsed.objects.every(o => o.document === 0)).toBe(true);
  });

  it('reads every document of a file and the items of a List, and skips empty documents', () => {
    const { objects, problems } = parseManifestFile({
      path: 'apps/p/n/s/all.yaml',
      content: [
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: a }',
        '---',
        '# nothing here',
        '---',
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: b } }',
        '  - { apiVersion: v1, kind: Secret, metadata: { name: c } }',
        '---',
        '',
      ].join('\n'),
    });
    expect(problems).toEqual([]);
    expect(
      objects.map(o => [
        o.document,
        o.item,
        o.object.kind,
        o.object.metadata.name,
      ]),
    ).toEqual([
      [0, undefined, 'Service', 'a'],
      [2, 0, 'ConfigMap', 'b'],
      [2, 1, 'Secret', 'c'],
    ]);
  });

  it('reports each document that is not valid YAML or not an object with its line, and keeps the rest', () => {
    const { objects, problems } = parseManifestFile({
      path: 'apps/p/n/s/broken.yaml',
      content: [
        'apiVersion: v1', // 1
        'kind: Service',
        'metadata: { name: ok }',
        '---', // 4
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: { name: [ }',
        '---', // 8
        '- just',
        '- a list',
        '---', // 11
        'kind: Deployment',
        'metadata: { name: x }',
        '---', // 14
        'apiVersion: v1',
        'kind: ConfigMap',
        'data: {}',
      ].join('\n'),
    });
    expect(objects.map(o => o.object.metadata.name)).toEqual(['ok']);
    expect(problems).toEqual([
      {
        path: 'apps/p/n/s/broken.yaml',
        document: 1,
        line: expect.any(Number),
        message: expect.stringMatching(/^not valid YAML: /),
      },
      {
        path: 'apps/p/n/s/broken.yaml',
        document: 2,
        line: 9,
        message: 'not a Kubernetes object: the document is not a mapping',
      },
      {
        path: 'apps/p/n/s/broken.yaml',
        document: 3,
        line: 12,
        message: 'not a Kubernetes object: apiVersion and kind must be strings',
      },
      {
        path: 'apps/p/n/s/broken.yaml',
        document: 4,
        line: 15,
        message: 'ConfigMap has no metadata.name',
      },
    ]);
    expect(problems[0].line).toBeGreaterThanOrEqual(5);
    expect(problems[0].line).toBeLessThanOrEqual(8);
  });

  it('reports a file whose aliases would expand without bound, and still reads aliases in moderation', () => {
    // Nine levels of nine aliases: 9^9 copies of the first list if expanded.
    const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    }
    const configMap = (name: string, data: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}\n`;
    const bomb = parseManifestFile({
      path: 'apps/p/t/bomb.yaml',
      content: configMap('bomb', levels.map(l => `  ${l}`).join('\n')),
    });
    expect(bomb.objects).toEqual([]);
    expect(bomb.problems).toEqual([
      expect.objectContaining({
        path: 'apps/p/t/bomb.yaml',
        message: expect.stringMatching(/^not valid YAML: .*alias/i),
      }),
    ]);
    const modest = parseManifestFile({
      path: 'apps/p/t/modest.yaml',
      content: configMap('modest', '  a: &a one\n  b: *a'),
    });
    expect(modest.problems).toEqual([]);
    expect(modest.objects[0].object).toMatchObject({ data: { b: 'one' } });
  });

  it('lists the files that are not YAML, and reads a kustomization.yaml without apiVersion and kind', () => {
    const parsed = parseManifestFiles([
      { path: 'apps/p/n/s/README.md', content: '# s' },
      { path: 'apps/p/n/s/.gitkeep', content: '' },
      {
        path: 'apps/p/n/s/kustomization.yaml',
        content: 'resources:\n  - deployment.yaml\n',
      },
    ]);
    expect(parsed.otherFiles).toEqual([
      'apps/p/n/s/README.md',
      'apps/p/n/s/.gitkeep',
    ]);
    expect(parsed.problems).toEqual([]);
    expect(parsed.objects.map(o => o.object)).toEqual([
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['deployment.yaml'],
      },
    ]);
  });
});
