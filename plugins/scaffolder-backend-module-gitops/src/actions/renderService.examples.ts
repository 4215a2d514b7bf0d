import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render the manifests of a critical service that reads a secret, is called by order-service and is exposed on a host',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'gitops:service:render',
          name: 'Render Kubernetes manifests',
          input: {
            name: 'payment-service',
            owner: 'payments-team',
            system: 'checkout-system',
            environment: 'production',
            namespace: 'payments-team',
            image:
              'registry.example.com/payments/payment-service@sha256:2f1b6c1e7c5d4b0a9e8f7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a49382',
            port: 8080,
            tier: 'critical',
            env: { LOG_LEVEL: 'info' },
            secrets: [
              {
                env: 'STRIPE_API_KEY',
                key: 'payments/stripe',
                property: 'api-key',
              },
            ],
            callers: [{ namespace: 'orders-team', app: 'order-service' }],
            ingressHost: 'payments.example.com',
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a batch service in a team namespace that does not exist yet, accepting an image by tag',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'gitops:service:render',
          input: {
            name: 'invoice-exporter',
            owner: 'orders-team',
            environment: 'staging',
            namespace: 'orders-team',
            newNamespace: true,
            image: 'registry.example.com/orders/invoice-exporter:1.2.0',
            allowImageTag: true,
            port: 8080,
            tier: 'batch',
          },
        },
      ],
    }),
  },
];
