import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { mockApis } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gitopsAnyTeamWritePermission } from '@causeway/plugin-gitops-common';
import { renderTemplateForm } from '../__testUtils__/renderTemplateForm';
import { OwnerGroup } from './OwnerGroup';
import { ownerGroupValidation } from './validation';

function group(name: string, displayName?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'team',
      children: [],
      ...(displayName ? { profile: { displayName } } : {}),
    },
  };
}

const entities: Entity[] = [
  group('payments-team', 'Payments'),
  group('platform-admins', 'Platform administrators'),
  group('storefront-team'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jane', namespace: 'default' },
    spec: { memberOf: ['payments-team', 'platform-admins'] },
  },
];

const JANE = [
  'user:default/jane',
  'group:default/platform-admins',
  'group:default/payments-team',
];

function renderOwnerField(options: {
  ownershipEntityRefs?: string[];
  /** Whether the user may write for any team (platform admins); default yes. */
  anyTeam?: boolean;
  uiOptions?: { notDefault: string[] };
  owner?: string;
}) {
  return renderTemplateForm({
    steps: [
      {
        title: 'Ownership',
        schema: {
          type: 'object',
          required: ['owner'],
          properties: {
            owner: {
              title: 'Owner',
              type: 'string',
              'ui:field': 'CausewayOwnerGroup',
              ...(options.uiOptions ? { 'ui:options': options.uiOptions } : {}),
            },
          },
        },
      },
    ],
    extensions: [
      {
        name: 'CausewayOwnerGroup',
        component: OwnerGroup,
        validation: ownerGroupValidation,
      },
    ],
    apis: [
      catalogApiMock({ entities }),
      mockApis.identity({
        userEntityRef: 'user:default/jane',
        ownershipEntityRefs: options.ownershipEntityRefs ?? JANE,
      }),
      mockApis.permission({
        authorize: request =>
          request.permission.name === gitopsAnyTeamWritePermission.name &&
          options.anyTeam === false
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }),
    ],
    initialState: options.owner ? { owner: options.owner } : undefined,
  });
}

const ownerInput = () => screen.getByRole('combobox', { name: /Owner/ });

describe('CausewayOwnerGroup', () => {
  it("starts with the user's group, skipping the ones in notDefault", async () => {
    renderOwnerField({ uiOptions: { notDefault: ['platform-admins'] } });

    await waitFor(() =>
      expect(ownerInput()).toHaveValue('Payments (payments-team)'),
    );
  });

  it("takes the user's first group when there is no other", async () => {
    renderOwnerField({
      ownershipEntityRefs: [
        'user:default/jane',
        'group:default/platform-admins',
      ],
      uiOptions: { notDefault: ['group:default/platform-admins'] },
    });

    await waitFor(() =>
      expect(ownerInput()).toHaveValue(
        'Platform administrators (platform-admins)',
      ),
    );
  });

  it('keeps an owner that is already set', async () => {
    renderOwnerField({ owner: 'group:default/storefront-team' });

    await waitFor(() => expect(ownerInput()).toHaveValue('storefront-team'));
  });

  it('finds groups by title or name, and stores the group ref', async () => {
    const { onCreate } = renderOwnerField({});
    await waitFor(() => expect(ownerInput()).not.toHaveValue(''));

    const search = async (text: string) => {
      await userEvent.clear(ownerInput());
      await userEvent.type(ownerInput(), text);
      return within(await screen.findByRole('listbox')).getAllByRole('option');
    };
    expect((await search('admin')).map(o => o.textContent)).toEqual([
      'Platform administrators (platform-admins)',
    ]);
    const found = await search('store');
    expect(found.map(o => o.textContent)).toEqual(['storefront-team']);
    await userEvent.click(found[0]);

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    expect(onCreate).toHaveBeenCalledWith({
      owner: 'group:default/storefront-team',
    });
  });

  it("offers only the user's own groups to a user who is not a platform admin", async () => {
    renderOwnerField({
      ownershipEntityRefs: ['user:default/jane', 'group:default/payments-team'],
      anyTeam: false,
    });
    await waitFor(() =>
      expect(ownerInput()).toHaveValue('Payments (payments-team)'),
    );

    await userEvent.clear(ownerInput());
    await userEvent.click(ownerInput());
    const offered = within(await screen.findByRole('listbox'))
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(offered).toEqual(['Payments (payments-team)']);
  });

  it('offers every group to a platform admin', async () => {
    renderOwnerField({});
    await waitFor(() => expect(ownerInput()).not.toHaveValue(''));

    await userEvent.clear(ownerInput());
    await userEvent.click(ownerInput());
    const offered = within(await screen.findByRole('listbox'))
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(offered).toEqual([
      'Payments (payments-team)',
      'Platform administrators (platform-admins)',
      'storefront-team',
    ]);
  });

  it('refuses an owner that is not a group in the catalog', async () => {
    renderOwnerField({ owner: 'group:default/ghosts' });
    await waitFor(() =>
      expect(ownerInput()).toHaveValue('group:default/ghosts'),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Review' }));

    expect(
      await screen.findAllByText(
        'group:default/ghosts is not a group in the catalog',
      ),
    ).not.toHaveLength(0);
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
  });
});
