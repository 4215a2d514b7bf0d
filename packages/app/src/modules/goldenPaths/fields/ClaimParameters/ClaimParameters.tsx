import { useCallback, useEffect, useRef } from 'react';
import Alert from '@mui/material/Alert';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useApi } from '@backstage/frontend-plugin-api';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { useAsyncValue } from '../../../home/hooks/useAsyncValue';
import { goldenPathsApiRef } from '../../api/GoldenPathsClient';
import {
  ClaimParametersValue,
  findPlatformApi,
  helpOf,
  ParameterInput,
  parameterInputs,
  parameterProblems,
  withDefaults,
} from './claimParameters';

export const ClaimParametersFieldSchema = makeFieldSchema({
  output: z => z.record(z.unknown()),
  uiOptions: z =>
    z.object({
      kind: z
        .string()
        .describe('The platform API (claim kind), e.g. PostgreSQLInstance'),
    }),
});

function ParameterField(props: {
  id: string;
  input: ParameterInput;
  value: unknown;
  problem?: string;
  onChange: (value: unknown) => void;
}) {
  const { id, input, value, problem, onChange } = props;
  const help = problem ?? helpOf(input);
  if (input.control === 'switch') {
    return (
      <FormControl margin="dense" error={Boolean(problem)} fullWidth>
        <FormControlLabel
          label={input.label}
          control={
            <Switch
              id={id}
              checked={value === true}
              onChange={(_event, checked) => onChange(checked)}
            />
          }
        />
        {help && <FormHelperText sx={{ mt: 0 }}>{help}</FormHelperText>}
      </FormControl>
    );
  }
  const { schema } = input;
  const options = (schema.enum ?? []) as unknown[];
  return (
    <TextField
      id={id}
      label={input.label}
      helperText={help}
      error={Boolean(problem)}
      required={input.required}
      margin="dense"
      fullWidth
      select={input.control === 'select'}
      type={input.control === 'number' ? 'number' : 'text'}
      value={value === undefined ? '' : String(value)}
      inputProps={
        input.control === 'number'
          ? {
              min: schema.minimum,
              max: schema.maximum,
              step: schema.type === 'integer' ? 1 : 'any',
            }
          : undefined
      }
      onChange={event => {
        const text = event.target.value;
        if (input.control === 'select') {
          onChange(options.find(option => String(option) === text));
        } else if (text === '') {
          onChange(undefined);
        } else {
          onChange(input.control === 'number' ? Number(text) : text);
        }
      }}
    >
      {options.map(option => (
        <MenuItem key={String(option)} value={String(option)}>
          {String(option)}
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * The parameters of a claim on a platform API (`ui:options.kind`), asked
 * for as its XRD's schema says: one input per parameter with its
 * description, enums as a choice, numbers within their bounds, booleans as a
 * switch, defaults filled in. Its value is the parameters object.
 */
export const ClaimParameters = (
  props: typeof ClaimParametersFieldSchema.TProps,
) => {
  const {
    onChange,
    rawErrors = [],
    formData,
    schema: { title = 'Parameters', description },
    uiSchema,
    idSchema,
  } = props;
  const kind = uiSchema['ui:options']?.kind;
  const goldenPathsApi = useApi(goldenPathsApiRef);
  const load = useCallback(
    async () => findPlatformApi(await goldenPathsApi.getPlatformApis(), kind),
    [goldenPathsApi, kind],
  );
  const platformApi = useAsyncValue(load);
  const parameters =
    platformApi.status === 'done' ? platformApi.value.parameters : undefined;

  // The defaults go in once, when the schema arrives; a value the user
  // clears afterwards stays cleared.
  const filled = useRef(false);
  useEffect(() => {
    if (!parameters || filled.current) return;
    filled.current = true;
    const value = withDefaults(parameters, formData);
    if (JSON.stringify(value) !== JSON.stringify(formData)) {
      onChange(value);
    }
  }, [parameters, formData, onChange]);

  const value: ClaimParametersValue = formData ?? {};
  const problems = parameters ? parameterProblems(parameters, value) : {};
  const id = idSchema?.$id ?? 'parameters';
  const help =
    uiSchema['ui:description'] ??
    description ??
    (platformApi.status === 'done' ? platformApi.value.description : undefined);

  return (
    <FormControl
      component="fieldset"
      margin="normal"
      error={rawErrors.length > 0}
      fullWidth
    >
      <FormLabel component="legend">{title}</FormLabel>
      {help && <FormHelperText sx={{ mx: 0 }}>{help}</FormHelperText>}
      {platformApi.status === 'loading' && (
        <LinearProgress aria-label="Loading the parameters" />
      )}
      {platformApi.status === 'error' && (
        <Alert severity="error">
          Could not load the parameters: {platformApi.error.message}
        </Alert>
      )}
      {parameters &&
        parameterInputs(parameters).map(input => (
          <ParameterField
            key={input.key}
            id={`${id}_${input.key}`}
            input={input}
            value={value[input.key]}
            problem={problems[input.key]}
            onChange={next => {
              const { [input.key]: _previous, ...others } = value;
              onChange(
                next === undefined ? others : { ...others, [input.key]: next },
              );
            }}
          />
        ))}
      {/* What stopped the step, as the step's check found it. */}
      {rawErrors.map(error => (
        <FormHelperText key={error} role="alert">
          {error}
        </FormHelperText>
      ))}
    </FormControl>
  );
};
