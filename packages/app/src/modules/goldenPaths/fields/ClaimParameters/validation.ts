import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { goldenPathsApiRef } from '../../api/GoldenPathsClient';
import {
  ClaimParametersValue,
  findPlatformApi,
  parameterProblems,
} from './claimParameters';

/**
 * The parameters against the platform API's schema, as the field shows
 * them, so a value out of bounds stops the step before the claim is made.
 */
export const claimParametersValidation: CustomFieldValidator<
  ClaimParametersValue,
  { kind: string }
> = async (value, validation, { apiHolder, uiSchema }) => {
  const goldenPathsApi = apiHolder.get(goldenPathsApiRef);
  if (!goldenPathsApi) {
    throw new Error(
      'The platform APIs are not available to check the parameters',
    );
  }
  const { parameters } = findPlatformApi(
    await goldenPathsApi.getPlatformApis(),
    uiSchema?.['ui:options']?.kind,
  );
  for (const problem of Object.values(parameterProblems(parameters, value))) {
    validation.addError(problem);
  }
};
