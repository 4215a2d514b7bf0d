import { sourceFacts } from './sourceFacts';

const pinned = `@sha256:${'ab'.repeat(32)}`;
const facts = (files: Record<string, string>) =>
  sourceFacts(Object.keys(files), new Map(Object.entries(files)));

describe('sourceFacts', () => {
  it.each([
    [
      'a final stage built on an earlier one inherits its USER; scratch and stage names need no digest',
      `FROM golang:1.22${pinned} AS build\nUSER 1000\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\nFROM test\n`,
      { nonRoot: true, pinned: true },
    ],
    [
      'a USER of root:root, flags before the image, a line continued with a backslash',
      `FROM --platform=$BUILDPLATFORM \\\n  node:22${pinned}\nUSER root:root\n`,
      { nonRoot: false, pinned: true },
    ],
    [
      'a USER in an earlier stage only, an image by tag',
      `FROM node:22 AS build\nUSER node\nFROM node:22-slim${pinned}\n`,
      { nonRoot: false, pinned: false },
    ],
  ])('reads a Dockerfile: %s', (_, dockerfile, expected) => {
    expect(facts({ Dockerfile: dockerfile })).toMatchObject({
      'source.dockerfileRunsAsNonRoot': expected.nonRoot,
      'source.dockerfileBaseImagesPinned': expected.pinned,
    });
  });

  it('reads GitLab CI scripts and Jenkinsfiles, and not comments', () => {
    expect(
      facts({
        '.gitlab-ci.yml': `# trivy later
deploy:
  script:
    - yq -i ".spec.template.spec.containers[0].image = \\"$IMAGE@$CI_DIGEST\\"" deployment.yaml
`,
      }),
    ).toMatchObject({
      'source.hasCiWorkflow': true,
      'source.ciRunsSecurityScan': false,
      'source.ciDeploysByDigest': true,
    });
    expect(
      facts({
        Jenkinsfile: `// grype runs nightly elsewhere
pipeline { stages { stage('gate') { steps { sh 'npx @causeway/scorecard-gate component:default/a --min-level silver' } } } }
`,
      }),
    ).toMatchObject({
      'source.ciRunsSecurityScan': false,
      'source.ciCallsReleaseGate': true,
    });
  });
});
