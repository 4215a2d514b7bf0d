import { platformApis } from '../parse/__testUtils__/builtManifests';
import { parsePlatformApi } from './platformApi';

const xrd = (claimNames: Record<string, string>) => ({
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'xthings.example.com' },
  spec: {
    group: 'example.com',
    claimNames,
    versions: [
      {
        name: 'v1',
        served: true,
        referenceable: true,
        schema: { openAPIV3Schema: { type: 'object' } },
      },
    ],
  },
});

describe('parsePlatformApi', () => {
  it("reads the claim's plural, the resource name the cluster is asked for", () => {
    expect(parsePlatformApi(xrd({ kind: 'Thing', plural: 'things' }))).toEqual(
      expect.objectContaining({
        kind: 'Thing',
        apiVersion: 'example.com/v1',
        claimPlural: 'things',
      }),
    );
    expect(platformApis.map(api => api.claimPlural).sort()).toEqual([
      'kafkatopics',
      'objectbuckets',
      'postgresqlinstances',
      'rediscaches',
    ]);
  });

  it('refuses a definition whose claim has no plural', () => {
    expect(() => parsePlatformApi(xrd({ kind: 'Thing' }))).toThrow(
      'Platform API xthings.example.com is not a usable CompositeResourceDefinition: spec.claimNames.plural is missing',
    );
  });
});
