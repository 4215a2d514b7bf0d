import { useState } from 'react';
import Button from '@mui/material/Button';
import { CheckResult } from '@causeway/plugin-scorecard-common';
import { NewWaiver } from '../../api/ScorecardClient';
import { WaiveDialog } from '../WaiveDialog/WaiveDialog';

/**
 * "Waive" on a failing check and "Revoke" on a waived one, each shown only
 * to users the permission policy allows.
 */
export function WaiverActions(props: {
  result: CheckResult;
  canWaive: boolean;
  canRevoke: boolean;
  /** The stored waiver's id, which revoking needs. */
  waiverId?: string;
  onWaive: (waiver: NewWaiver) => Promise<void>;
  onRevoke: (waiverId: string) => void;
}) {
  const { result, canWaive, canRevoke, waiverId, onWaive, onRevoke } = props;
  const [open, setOpen] = useState(false);

  if (result.status === 'fail' && canWaive) {
    return (
      <>
        <Button
          size="small"
          onClick={() => setOpen(true)}
          aria-label={`Waive ${result.title}`}
        >
          Waive
        </Button>
        {open && (
          <WaiveDialog
            check={result}
            onClose={() => setOpen(false)}
            onSubmit={async waiver => {
              await onWaive({ checkId: result.checkId, ...waiver });
              setOpen(false);
            }}
          />
        )}
      </>
    );
  }
  if (result.waiver && canRevoke && waiverId) {
    return (
      <Button
        size="small"
        onClick={() => onRevoke(waiverId)}
        aria-label={`Revoke the waiver of ${result.title}`}
      >
        Revoke
      </Button>
    );
  }
  return null;
}
