import Alert from '@mui/material/Alert';
import LinearProgress from '@mui/material/LinearProgress';

/**
 * A load under way (a progress bar) or failed (why), named for what it
 * loads: "the scorecard". Nothing once it is done.
 */
export function LoadProgress(props: {
  what: string;
  loading: boolean;
  error?: Error;
}) {
  const { what, loading, error } = props;
  if (error) {
    return (
      <Alert severity="error">
        Could not load {what}: {error.message}
      </Alert>
    );
  }
  return loading ? <LinearProgress aria-label={`Loading ${what}`} /> : null;
}
