import { Link as RouterLink } from 'react-router-dom';
import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { OverviewItem } from '@causeway/plugin-scorecard-common';

/**
 * A scorecard row's first two cells: the entity, linking to its Scorecard
 * tab, and its owner.
 */
export function EntityCells(props: { item: OverviewItem }) {
  const { entityRef, title, owner } = props.item;
  const entityLink = useEntityRefLink();
  return (
    <>
      <TableCell>
        <Link component={RouterLink} to={`${entityLink(entityRef)}/scorecard`}>
          {title ?? parseEntityRef(entityRef).name}
        </Link>
      </TableCell>
      <TableCell>
        {owner && <EntityRefLink entityRef={owner} defaultKind="group" />}
      </TableCell>
    </>
  );
}
