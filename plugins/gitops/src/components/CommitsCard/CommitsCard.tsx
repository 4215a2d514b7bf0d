import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { InfoCard } from '@backstage/core-components';
import { GitOpsCommitView } from '@causeway/plugin-gitops-common';
import { CommitLink } from '../CommitLink/CommitLink';
import { RelativeTime } from '../RelativeTime/RelativeTime';

/** The latest commits that touched the service's files, newest first. */
export function CommitsCard(props: { commits: GitOpsCommitView[] }) {
  const { commits } = props;
  return (
    <InfoCard title="Recent commits">
      <Table size="small" aria-label="Recent commits">
        <TableHead>
          <TableRow>
            <TableCell>Commit</TableCell>
            <TableCell>Message</TableCell>
            <TableCell>Author</TableCell>
            <TableCell>When</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {commits.length === 0 && (
            <TableRow>
              <TableCell colSpan={4}>No commit touched these files.</TableCell>
            </TableRow>
          )}
          {commits.map(commit => (
            <TableRow key={commit.sha}>
              <TableCell>
                <CommitLink sha={commit.sha} url={commit.url} />
              </TableCell>
              <TableCell>{commit.message}</TableCell>
              <TableCell>{commit.author}</TableCell>
              <TableCell>
                <RelativeTime time={commit.time} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
