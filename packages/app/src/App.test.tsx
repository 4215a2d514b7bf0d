import { render, screen, within } from '@testing-library/react';
import App from './App';

describe('App', () => {
  const originalEnv = process.env;
  afterEach(() => {
    process.env = originalEnv;
  });

  it('greets a signed-out user with the configured sign-in options', async () => {
    // Outside the CLI the app reads its config from APP_CONFIG, once per app
    // instance, hence a single render in this file.
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: {
              title: 'Causeway',
              baseUrl: 'http://localhost:3000',
              signIn: { providers: ['github', 'guest'] },
            },
            backend: { baseUrl: 'http://localhost:3000' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByRole('heading', { name: 'Causeway', level: 1 }),
    ).toBeInTheDocument();
    await screen.findByText('Select a sign-in method');
    const [github, guest, ...others] = screen.getAllByRole('listitem');
    expect(others).toEqual([]);
    expect(github).toHaveTextContent(/^GitHub/);
    expect(within(github).getByRole('button')).toHaveTextContent('Sign In');
    expect(guest).toHaveTextContent(/^Guest/);
    expect(within(guest).getByRole('button')).toHaveTextContent('Enter');
  });
});
