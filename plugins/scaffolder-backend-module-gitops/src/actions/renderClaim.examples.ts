import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Claim a PostgreSQL database for payment-service; its connection details land in the Secret payments-db-connection',
    example: yaml.stringify({
      steps: [
        {
          id: 'claim',
          action: 'gitops:claim:render',
          name: 'Claim a database',
          input: {
            kind: 'PostgreSQLInstance',
            name: 'payments-db',
            namespace: 'payments-team',
            environment: 'production',
            owner: 'payments-team',
            service: 'payment-service',
            parameters: {
              size: 'standard',
              storageGB: 50,
              highAvailability: true,
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Claim a Kafka topic with the platform defaults',
    example: yaml.stringify({
      steps: [
        {
          id: 'claim',
          action: 'gitops:claim:render',
          input: {
            kind: 'KafkaTopic',
            name: 'order-events',
            namespace: 'orders-team',
            environment: 'production',
            owner: 'orders-team',
            parameters: { partitions: 12 },
          },
        },
      ],
    }),
  },
];
