import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render a nightly export at 02:30 London time that reads a secret and its database, and never overlaps itself',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'gitops:job:render',
          name: 'Render the CronJob',
          input: {
            name: 'invoice-export',
            owner: 'billing-team',
            system: 'billing-system',
            environment: 'production',
            namespace: 'billing-team',
            image:
              'registry.example.com/billing/invoice-export@sha256:7c4e2a1f9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e',
            schedule: '30 2 * * *',
            timeZone: 'Europe/London',
            concurrencyPolicy: 'Forbid',
            command: ['/app/export'],
            args: ['--since', '24h'],
            env: { LOG_LEVEL: 'info' },
            secrets: [
              {
                env: 'SFTP_PASSWORD',
                key: 'billing/sftp',
                property: 'password',
              },
            ],
            connectionSecrets: ['billing-db-connection'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Render an hourly cleanup with more memory, a 10-minute deadline and no retries, accepting an image by tag',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'gitops:job:render',
          input: {
            name: 'cache-cleanup',
            owner: 'platform-team',
            environment: 'staging',
            namespace: 'platform-team',
            image: 'registry.example.com/platform/cache-cleanup:3.1.0',
            allowImageTag: true,
            schedule: '@hourly',
            concurrencyPolicy: 'Replace',
            activeDeadlineSeconds: 600,
            backoffLimit: 0,
            resources: {
              requests: { cpu: '100m', memory: '512Mi' },
              limits: { cpu: '500m', memory: '1Gi' },
            },
          },
        },
      ],
    }),
  },
];
