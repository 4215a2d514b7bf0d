import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { apiClient, eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import { startCausewayBackend } from './__testUtils__/startCausewayBackend';
import {
  authModuleTestSignIn,
  signInAs,
} from './__testUtils__/testSignInProvider';

jest.setTimeout(180_000);

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'gitops-service', title: 'GitOps service' },
  spec: {
    owner: 'group:default/platform-admins',
    type: 'service',
    parameters: [
      {
        properties: {
          name: { type: 'string' },
          image: { type: 'string' },
        },
      },
    ],
    steps: [
      {
        id: 'render',
        action: 'gitops:service:render',
        input: {
          name: '${{ parameters.name }}',
          owner: 'payments-team',
          environment: 'production',
          namespace: 'payments-team',
          image: '${{ parameters.image }}',
          port: 8080,
          tier: 'standard',
        },
      },
      {
        id: 'claim',
        action: 'gitops:claim:render',
        input: {
          kind: 'PostgreSQLInstance',
          name: '${{ parameters.name }}-db',
          namespace: 'payments-team',
          environment: 'production',
          owner: 'payments-team',
          service: '${{ parameters.name }}',
          parameters: { size: 'small', storageGB: 20 },
        },
      },
      {
        id: 'publish',
        action: 'gitops:publish',
        input: {
          message: 'Add ${{ parameters.name }}',
          newPaths: ['${{ steps.render.output.serviceDir }}'],
        },
      },
    ],
    output: {
      links: [
        { title: 'GitOps commit', url: '${{ steps.publish.output.link }}' },
      ],
    },
  },
};
const image = `registry.example.com/payments/refund-api@sha256:${'9e'.repeat(
  32,
)}`;

/** A service whose GitOps folder someone will push a symbolic link into. */
const linkedViewEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'linked-view',
    annotations: {
      'causeway.dev/gitops-path': 'apps/production/payments-team/linked-view',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
  },
};

/** A service registered with the whole apps folder as its own. */
const appsReaderEntity = {
  ...linkedViewEntity,
  metadata: {
    name: 'apps-reader',
    annotations: { 'causeway.dev/gitops-path': 'apps' },
  },
};

describe.each(backendDatabaseIds)(
  'GitOps scaffolder actions on %s',
  databaseId => {
    let stop: () => Promise<void>;
    let gitopsPath: string;
    let scratch: string;
    let asAlice: ReturnType<typeof apiClient>;
    const head = () =>
      execFileSync('git', ['--git-dir', gitopsPath, 'rev-parse', 'main'], {
        encoding: 'utf8',
      }).trim();

    /** Runs the test template as alice, until it completes or fails. */
    const runTemplate = async (name: string) => {
      const task = await asAlice('POST', '/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/gitops-service',
        values: { name, image },
      });
      expect(task.status).toBe(201);
      const finished = await eventually(async () => {
        const res = await asAlice(
          'GET',
          `/api/scaffolder/v2/tasks/${task.body.id}`,
        );
        return ['completed', 'failed'].includes(res.body.status)
          ? res.body
          : undefined;
      }, 'the template run to finish');
      return { task: task.body, finished };
    };

    beforeAll(async () => {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-template-'));
      fs.writeFileSync(
        path.join(scratch, 'template.yaml'),
        yaml.stringify(template),
      );
      fs.writeFileSync(
        path.join(scratch, 'linked-view.yaml'),
        [linkedViewEntity, appsReaderEntity]
          .map(e => yaml.stringify(e))
          .join('---\n'),
      );
      const started = await startCausewayBackend({
        database: databaseId,
        extraFeatures: [authModuleTestSignIn],
        extraLocations: [
          {
            type: 'file',
            target: path.join(scratch, 'template.yaml'),
            rules: [{ allow: ['Template'] }],
          },
          {
            type: 'file',
            target: path.join(scratch, 'linked-view.yaml'),
            rules: [{ allow: ['Component'] }],
          },
        ],
        config: { auth: { providers: { test: {} } } },
      });
      stop = started.stop;
      gitopsPath = started.backend.gitopsPath;
      const { baseUrl } = started.backend;
      await eventually(async () => {
        const api = apiClient(baseUrl, await signInAs(baseUrl, 'alice'));
        const res = await api(
          'GET',
          '/api/catalog/entities/by-name/template/default/gitops-service',
        );
        return res.status === 200 ? true : undefined;
      }, 'the test template in the catalog');
      asAlice = apiClient(baseUrl, await signInAs(baseUrl, 'alice'));
    });

    afterAll(async () => {
      await stop?.();
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it('shows the exact files and the validation result in a dry run, and pushes nothing', async () => {
      const before = head();
      const res = await asAlice('POST', '/api/scaffolder/v2/dry-run', {
        template,
        values: { name: 'refund-api', image },
        secrets: {},
        directoryContents: [],
      });

      expect(res.status).toBe(200);
      const files = Object.fromEntries(
        res.body.directoryContents.map(
          (f: { path: string; base64Content: string }) => [
            f.path,
            Buffer.from(f.base64Content, 'base64').toString('utf8'),
          ],
        ),
      );
      const deployment = yaml.parse(
        files[
          'gitops/apps/production/payments-team/refund-api/deployment.yaml'
        ],
      );
      expect(deployment.spec.template.spec.containers[0].image).toBe(image);
      expect(Object.keys(files)).toContain(
        'gitops/apps/production/payments-team/refund-api/networkpolicy.yaml',
      );

      const log = res.body.log
        .map((l: { body: { message: string } }) => l.body.message)
        .join('\n');
      expect(log).toContain(
        'Rendered 8 objects for refund-api, all valid against their schemas',
      );
      expect(log).toMatch(/Dry run: would commit 10 files to .*gitops\.git/);
      expect(head()).toBe(before);
    });

    it('refuses an invalid input in the dry run, naming the action and the field', async () => {
      const res = await asAlice('POST', '/api/scaffolder/v2/dry-run', {
        template,
        values: { name: 'Refund API', image },
        secrets: {},
        directoryContents: [],
      });
      // The scaffolder checks the input against the action's schema first.
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'Invalid input passed to action gitops:service:render, instance.name does not match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"',
      );
    });

    it('commits the rendered service to the GitOps repository as the user who ran it', async () => {
      const { finished } = await runTemplate('refund-api');

      expect(finished.status).toBe('completed');
      const git = (...args: string[]) =>
        execFileSync('git', ['--git-dir', gitopsPath, ...args], {
          encoding: 'utf8',
        }).trim();
      expect(git('log', '-1', '--format=%an <%ae>: %s', 'main')).toBe(
        'Alice Anderson <alice@example.com>: Add refund-api',
      );
      expect(git('ls-tree', '-r', '--name-only', 'main')).toContain(
        'apps/production/payments-team/refund-api/deployment.yaml',
      );
    });

    it('never follows a symbolic link pushed to the GitOps repository: the golden path fails with no commit and nothing written outside, and the view names the link without reading it', async () => {
      // Anyone with a token for the repository (every service's CI) pushes,
      // with plain git, a folder that is a link to a folder of the machine
      // and a manifest that is a link to a file of it.
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-out-'));
      const secretFile = path.join(outside, 'credentials.yaml');
      fs.writeFileSync(secretFile, 'password: hunter2-from-outside\n');
      const work = path.join(scratch, `links-${databaseId}`);
      const run = (cwd: string, ...args: string[]) =>
        execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
      run(scratch, 'clone', '--quiet', gitopsPath, work);
      const team = path.join(work, 'apps/production/payments-team');
      fs.mkdirSync(path.join(team, 'linked-view'), { recursive: true });
      fs.symlinkSync(outside, path.join(team, 'linked-api'));
      fs.writeFileSync(
        path.join(team, 'linked-view/kustomization.yaml'),
        'resources: []\n',
      );
      fs.symlinkSync(secretFile, path.join(team, 'linked-view/secret.yaml'));
      run(work, 'add', '--all');
      run(
        work,
        '-c',
        'user.name=CI',
        '-c',
        'user.email=ci@example.com',
        'commit',
        '--quiet',
        '-m',
        'Links',
      );
      run(work, 'push', '--quiet', 'origin', 'HEAD:main');
      const pushed = head();

      try {
        const { task, finished } = await runTemplate('linked-api');
        const events = await asAlice(
          'GET',
          `/api/scaffolder/v2/tasks/${task.id}/events`,
        );
        const log = JSON.stringify(events.body);

        expect(finished.status).toBe('failed');
        expect(log).toContain(
          'Refusing to write \\"apps/production/payments-team/linked-api\\" to the GitOps repository: apps/production/payments-team/linked-api is a symbolic link; Causeway does not follow links',
        );
        expect(head()).toBe(pushed);
        expect(fs.readdirSync(outside)).toEqual(['credentials.yaml']);

        const linkedView = await eventually(async () => {
          const res = await asAlice(
            'GET',
            '/api/gitops/entities/default/component/linked-view/gitops',
          );
          return res.status === 200 ? res : undefined;
        }, 'the linked-view component in the catalog');
        const linked = 'apps/production/payments-team/linked-view/secret.yaml';
        expect(
          linkedView.body.files.find(
            (f: { path: string }) => f.path === linked,
          ),
        ).toEqual({
          path: linked,
          objects: [],
          problems: [
            {
              line: 1,
              message: `${linked} is a symbolic link; Causeway does not follow links`,
            },
          ],
        });
        expect(JSON.stringify(linkedView.body)).not.toContain('hunter2');
        expect(log).not.toContain('hunter2');
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it('refuses the GitOps view of an entity that names a folder other than its own (apps: the whole repository)', async () => {
      const res = await eventually(async () => {
        const answer = await asAlice(
          'GET',
          '/api/gitops/entities/default/component/apps-reader/gitops',
        );
        return answer.status === 404 ? undefined : answer;
      }, 'the apps-reader component in the catalog');

      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message:
          'component:default/apps-reader: its causeway.dev/gitops-path annotation "apps" is not its folder: apps-reader, owned by payments-team, lives in apps/ENVIRONMENT/payments-team/apps-reader',
      });
      expect(JSON.stringify(res.body)).not.toContain('deployment.yaml');
    });
  },
);
