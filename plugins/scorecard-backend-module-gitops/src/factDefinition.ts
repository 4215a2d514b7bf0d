import { FactDefinition } from '@causeway/plugin-scorecard-common';

/** Declares the facts of a provider, each named `PREFIX.name`. */
export const factOf =
  (prefix: string) =>
  (
    name: string,
    type: FactDefinition['type'],
    description: string,
  ): FactDefinition => ({ name: `${prefix}.${name}`, type, description });
