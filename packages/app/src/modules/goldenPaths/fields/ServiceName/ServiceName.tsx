import { useEffect, useState } from 'react';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { checkServiceName, NameCheck } from './checkServiceName';

export const ServiceNameFieldSchema = makeFieldSchema({
  output: z => z.string(),
});

/** How long typing has to pause before the name is checked. */
export const CHECK_DELAY_MS = 300;

type CheckState =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'done'; result: NameCheck }
  | { status: 'error'; error: Error };

/** Checks the name once typing pauses; a result for an older name is dropped. */
function useServiceNameCheck(name: string): CheckState {
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<CheckState>({ status: 'idle' });

  useEffect(() => {
    if (!name) {
      setState({ status: 'idle' });
      return undefined;
    }
    let current = true;
    setState({ status: 'checking' });
    const timer = setTimeout(() => {
      checkServiceName(name, catalogApi).then(
        result => current && setState({ status: 'done', result }),
        error => current && setState({ status: 'error', error }),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name, catalogApi]);

  return state;
}

function statusLine(state: CheckState) {
  switch (state.status) {
    case 'idle':
      return null;
    case 'checking':
      return { color: 'text.secondary', text: 'Checking the name…' };
    case 'error':
      return {
        color: 'warning.main',
        text: `Could not check the catalog: ${state.error.message}`,
      };
    default:
      return {
        color: state.result.ok ? 'success.main' : 'error.main',
        text: state.result.message,
      };
  }
}

/**
 * The new service's name, checked while typing against Kubernetes name rules
 * and the names already in the catalog.
 */
export const ServiceName = (props: typeof ServiceNameFieldSchema.TProps) => {
  const {
    onChange,
    required,
    rawErrors = [],
    formData,
    schema: {
      title = 'Name',
      description = 'Lowercase letters, digits and dashes; unique in the catalog',
    },
    uiSchema,
    idSchema,
  } = props;
  const name = formData ?? '';
  const check = useServiceNameCheck(name);
  const line = statusLine(check);
  const invalid =
    rawErrors.length > 0 || (check.status === 'done' && !check.result.ok);

  return (
    <>
      <TextField
        id={idSchema?.$id}
        label={title}
        helperText={uiSchema['ui:description'] ?? description}
        required={required}
        value={name}
        onChange={event => onChange(event.target.value || undefined)}
        error={invalid}
        margin="normal"
        fullWidth
        inputProps={{
          // Templates ask for it with `ui:autofocus: true`.
          autoFocus: Boolean(uiSchema['ui:autofocus']),
          autoComplete: 'off',
          spellCheck: false,
        }}
      />
      <Typography role="status" variant="body2" color={line?.color}>
        {line?.text}
      </Typography>
    </>
  );
};
