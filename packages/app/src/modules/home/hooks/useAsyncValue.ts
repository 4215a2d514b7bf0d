import { useEffect, useState } from 'react';

export type AsyncValue<T> =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'done'; value: T };

/**
 * Runs `load` on mount and whenever it changes (wrap it in useCallback), and
 * tracks its outcome. A result that arrives after unmount or after a newer
 * load started is dropped, so it cannot overwrite fresher state.
 */
export function useAsyncValue<T>(load: () => Promise<T>): AsyncValue<T> {
  const [state, setState] = useState<AsyncValue<T>>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    load().then(
      value => current && setState({ status: 'done', value }),
      error => current && setState({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [load]);

  return state;
}
