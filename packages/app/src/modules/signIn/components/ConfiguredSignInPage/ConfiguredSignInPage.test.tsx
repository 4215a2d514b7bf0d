import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { oidcAuthApiRef } from '../../oidcAuthApiRef';
import { ConfiguredSignInPage } from './ConfiguredSignInPage';

function renderWithProviders(providers?: string[]) {
  return renderInTestApp(<ConfiguredSignInPage onSignInSuccess={jest.fn()} />, {
    config: {
      app: {
        title: 'Causeway',
        baseUrl: 'http://localhost:3000',
        ...(providers && { signIn: { providers } }),
      },
      backend: { baseUrl: 'http://localhost:3000' },
    },
    // Nothing is clicked, so the OIDC client is never called.
    apis: [[oidcAuthApiRef, {}]],
  });
}

// Each provider is a card in a list, its title first.
async function providerCards() {
  await screen.findByText('Select a sign-in method');
  return screen.getAllByRole('listitem');
}

describe('ConfiguredSignInPage', () => {
  it('offers exactly the configured providers, in order', async () => {
    await renderWithProviders(['oidc', 'github', 'guest']);

    const cards = await providerCards();
    expect(cards).toHaveLength(3);
    expect(cards[0]).toHaveTextContent(/^Single sign-on/);
    expect(cards[1]).toHaveTextContent(/^GitHub/);
    expect(cards[2]).toHaveTextContent(/^Guest/);
    expect(within(cards[0]).getByRole('button')).toHaveTextContent('Sign In');
    expect(within(cards[2]).getByRole('button')).toHaveTextContent('Enter');
  });

  it('offers guest sign-in only when nothing is configured', async () => {
    await renderWithProviders();

    const cards = await providerCards();
    expect(cards).toHaveLength(1);
    expect(cards[0]).toHaveTextContent(/^Guest/);
  });
});
